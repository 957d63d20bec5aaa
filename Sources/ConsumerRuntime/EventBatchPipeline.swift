/// Batches through an `EventProcessor` one after another, each prepared (decoded and checked)
/// while the previous one is still being applied: the way `ConsumerService` consumes, and the
/// way `fleet benchmark-processor` measures it.
public struct EventBatchPipeline<M: WorkMessage>: Sendable {
  private let processor: EventProcessor
  private var applying: Task<[ProcessingOutcome], Never>?

  /// An empty pipeline over `processor`.
  public init(processor: EventProcessor) {
    self.processor = processor
  }

  /// Prepares `batch`, waits for the previous batch, then starts applying this one. Returns the
  /// previous batch's outcomes (empty for the first batch).
  public mutating func submit(_ batch: [M]) async -> [ProcessingOutcome] {
    let prepared = processor.prepare(batch: batch)
    let previous = await applying?.value ?? []
    let processor = self.processor
    applying = Task { await processor.complete(prepared) }
    return previous
  }

  /// Waits for the last batch submitted and returns its outcomes (empty if there is none).
  public mutating func drain() async -> [ProcessingOutcome] {
    defer { applying = nil }
    return await applying?.value ?? []
  }
}
