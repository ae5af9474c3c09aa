import Foundation

/// A command-line tool from the system's packages (libvips' `vipsthumbnail`, `qrencode`), run as its own
/// process: a crash or a hostile input cannot take the server down, and a deadline ends a run that hangs.
public struct ExternalTool: Sendable {
    public let url: URL

    /// Finds `name` on PATH (or in /usr/bin, /usr/local/bin); nil when it is not installed.
    public init?(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let folders =
            (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        guard
            let found = folders.map({ URL(fileURLWithPath: $0).appendingPathComponent(name) })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) })
        else { return nil }
        self.url = found
    }

    /// Runs the tool; its standard output when it exited 0, nil when it failed or ran out of time.
    public func run(_ arguments: [String], environment extra: [String: String] = [:], deadline: Duration)
        async throws -> Data?
    {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        // Read while it runs: a tool that writes more than a pipe holds would otherwise never exit.
        let reader = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                try? output.fileHandleForWriting.close()
                continuation.resume(throwing: error)
                return
            }
            Task {
                try? await Task.sleep(for: deadline)
                if process.isRunning { process.terminate() }
            }
        }
        try? output.fileHandleForWriting.close()
        let data = await reader.value
        return status == 0 ? data : nil
    }
}
