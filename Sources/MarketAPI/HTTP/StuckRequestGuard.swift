import Catalog
import HTTPTypes
import Hummingbird
import Kernel
import Logging
import Metrics
import Synchronization

/// Answers 503 for a request whose database connection PostgreSQL closed under it and that is stuck
/// on it (see `LostConnection`), instead of leaving it open for ever: such a request would count as
/// in flight for the life of the process and hold graceful shutdown up. The stuck handler is left
/// behind (it never resumes; its connection is gone, so it cannot write anything more).
///
/// It wraps the whole router, since only a responder receives what it needs to run the request in a
/// task of its own (a middleware's `next` cannot escape it).
struct StuckRequestGuard<Inner: HTTPResponder>: HTTPResponder where Inner.Context: Sendable {
    typealias Context = Inner.Context
    let inner: Inner
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        let first = FirstOf<Response>()
        // The task-local is bound around the task's creation, which copies it into the task.
        let handler = LostConnection.$onStuck.withValue(LostConnection.Handler { first.finish(.failure(Stuck())) }) {
            Task {
                do {
                    first.finish(.success(try await inner.respond(to: request, context: context)))
                } catch {
                    first.finish(.failure(error))
                }
            }
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in first.deliver(to: continuation) }
            } onCancel: {
                handler.cancel()
            }
        } catch is Stuck {
            handler.cancel()
            // The metrics middleware inside the router counted the request in and, stuck, will never
            // count it out: it is answered now, so it is no longer in flight.
            Meter(label: "http.server.active_requests", dimensions: [("http.request.method", "\(request.method)")])
                .decrement()
            var log = logger
            log[metadataKey: "request_id"] = .string(request.headers[.requestID] ?? "-")
            let (problem, headers) = ProblemMapper.problem(for: DatabaseConnectionLost(), logger: log)
            var response = problem.response(headers: headers)
            if let id = request.headers[.requestID] { response.headers[.requestID] = id }
            return response
        }
    }

    private struct Stuck: Error {}
}

/// The first of several results, handed to one waiter.
final class FirstOf<R: Sendable>: Sendable {
    private struct State {
        var result: Result<R, any Error>?
        var waiter: CheckedContinuation<R, any Error>?
        var finished = false
    }
    private let state = Mutex(State())

    func finish(_ result: Result<R, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<R, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            guard let waiter = state.waiter else {
                state.result = result
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(with: result)
    }

    func deliver(to continuation: CheckedContinuation<R, any Error>) {
        let ready = state.withLock { state -> Result<R, any Error>? in
            guard let result = state.result else {
                state.waiter = continuation
                return nil
            }
            state.result = nil
            return result
        }
        if let ready { continuation.resume(with: ready) }
    }
}
