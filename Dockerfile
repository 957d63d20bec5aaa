# One image, one binary per consumer service plus the `fleet` CLI (DESIGN §8).
# Build:  docker build -t clinical-event-fleet .
# Run:    docker run --rm -e NATS_URL=nats://nats:4222 -e LEDGER_PATH=/data/ledger.sqlite \
#           -e TENANTS=<org uuid> -v ledger:/data clinical-event-fleet charge-capture
FROM swift:6.3-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib \
      --product fleet --product charge-capture --product care-transitions \
      --product lead-reconciliation --product gr-incidents \
 && mkdir -p /out && cp .build/release/fleet .build/release/charge-capture .build/release/care-transitions \
      .build/release/lead-reconciliation .build/release/gr-incidents /out/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 libstdc++6 ca-certificates libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(ls /usr/lib/*-linux-gnu/libjemalloc.so.2)" /usr/local/lib/libjemalloc.so.2 \
 && useradd --system --uid 10001 --home /data fleet && mkdir -p /data && chown fleet /data
COPY --from=build /out/ /usr/local/bin/
COPY streams /etc/fleet/streams
USER 10001
VOLUME /data
# The services run on jemalloc (~7 % less CPU per event than glibc's malloc, docs/BENCHMARKS.md);
# each logs the allocator it found when it starts. `-e LD_PRELOAD=` runs one without it.
ENV LOG_FORMAT=json HTTP_PORT=8080 LD_PRELOAD=/usr/local/lib/libjemalloc.so.2
EXPOSE 8080
# The service to run is the command: charge-capture | care-transitions | lead-reconciliation | gr-incidents | fleet ...
ENTRYPOINT []
CMD ["fleet", "--help"]
