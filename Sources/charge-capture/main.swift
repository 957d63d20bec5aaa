import ChargeCapture
import ConsumerRuntime

// charge-capture: configuration from the environment (see README / docs/services/charge-capture.md), then run
// until SIGTERM/SIGINT.
await ConsumerServiceMain.run(serviceName: "charge-capture") { json in
  ChargeCaptureHandler(configuration: try ChargeCaptureConfiguration.load(json: json))
}
