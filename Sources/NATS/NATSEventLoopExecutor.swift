import NIOCore

/// A `TaskExecutor` that runs jobs on one NIO event loop. A task that prefers the connection's
/// loop (``NATSClient/taskExecutor``, with `withTaskExecutorPreference`) publishes, receives
/// replies and resumes on the same thread: no cross-thread wakeup per request or per message,
/// which is most of the cost of a synchronous round trip on a small machine. Keep work done there
/// short between suspension points: while it runs, the connection does no I/O.
public final class NATSEventLoopExecutor: TaskExecutor, Sendable {
  /// The loop the jobs run on.
  public let eventLoop: any EventLoop

  /// An executor for `eventLoop`.
  public init(eventLoop: any EventLoop) {
    self.eventLoop = eventLoop
  }

  /// Runs the job on the event loop.
  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    eventLoop.execute {
      job.runSynchronously(on: self.asUnownedTaskExecutor())
    }
  }
}
