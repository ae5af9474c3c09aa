import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A private PostgreSQL cluster under a folder of the working directory, for running with no
/// configuration: created on first use with the PostgreSQL binaries installed on the machine, started
/// on a private port and socket folder, and stopped again by whoever started it.
public struct EmbeddedPostgres: Sendable {
    public let root: URL
    public let port: Int
    public let logger: Logger

    public init(root: URL, port: Int, logger: Logger) {
        (self.root, self.port, self.logger) = (root, port, logger)
    }

    public var dataDir: URL { root.appendingPathComponent("pgdata") }
    public var socketDir: URL { root.appendingPathComponent("run") }
    public var logFile: URL { root.appendingPathComponent("postgres.log") }

    public enum Failure: Error, CustomStringConvertible {
        case binariesMissing
        case command(String, status: Int32, output: String)

        public var description: String {
            switch self {
            case .binariesMissing:
                return """
                    PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql.
                    Install them, e.g. on Debian or Ubuntu: sudo apt-get install -y postgresql postgresql-contrib
                    or set DATABASE_URL to an existing PostgreSQL server.
                    """
            case .command(let command, let status, let output):
                return "\(command) failed with status \(status):\n\(output)"
            }
        }
    }

    /// The folder holding initdb and pg_ctl: PATH first, then the newest Debian-style install.
    public static func binaryFolder() throws -> URL {
        let fileManager = FileManager.default
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") where fileManager.isExecutableFile(atPath: "\(folder)/initdb") {
            if fileManager.isExecutableFile(atPath: "\(folder)/pg_ctl") { return URL(fileURLWithPath: String(folder)) }
        }
        let base = "/usr/lib/postgresql"
        let versions = ((try? fileManager.contentsOfDirectory(atPath: base)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions where fileManager.isExecutableFile(atPath: "\(base)/\(version)/bin/initdb") {
            return URL(fileURLWithPath: "\(base)/\(version)/bin")
        }
        throw Failure.binariesMissing
    }

    /// The URL of the `database` on this cluster.
    public func url(database: String) -> DatabaseURL {
        DatabaseURL(
            host: "127.0.0.1", port: port, user: "postgres", password: nil, database: database, sslMode: "disable")
    }

    /// Creates the cluster when missing and starts it unless it already runs. Returns whether this
    /// call started it (and so should stop it).
    @discardableResult
    public func start() throws -> Bool {
        let bin = try Self.binaryFolder()
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: socketDir, withIntermediateDirectories: true)
        let owner = try serverUser()
        if let owner {
            // PostgreSQL refuses to run as root: the cluster's folders belong to an unprivileged user,
            // who must also be able to reach them (not so under a private home folder).
            try run("/bin/chown", ["-R", "\(owner):\(owner)", root.path])
            guard (try? run("/usr/sbin/runuser", ["-u", owner, "--", "test", "-w", root.path])) != nil else {
                throw Failure.command(
                    "runuser -u \(owner) -- test -w \(root.path)",
                    status: 1,
                    output:
                        "The \(owner) user cannot reach \(root.path); set MARKET_DATA_DIR to a folder it can reach, e.g. /var/lib/market."
                )
            }
        }
        if !fileManager.fileExists(atPath: dataDir.appendingPathComponent("PG_VERSION").path) {
            logger.info("creating private PostgreSQL cluster", metadata: ["path": .string(dataDir.path)])
            try runServerTool(
                bin.appendingPathComponent("initdb").path,
                ["-D", dataDir.path, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
                as: owner
            )
        }
        if (try? runServerTool(bin.appendingPathComponent("pg_ctl").path, ["-D", dataDir.path, "status"], as: owner))
            != nil
        {
            logger.info("private PostgreSQL already running", metadata: ["port": .stringConvertible(port)])
            return false
        }
        let options = "-p \(port) -k \(socketDir.path) -c listen_addresses=127.0.0.1 -c max_connections=200"
        do {
            // The server inherits pg_ctl's output handles and keeps them open, so pg_ctl's own output
            // goes to a file rather than a pipe that would never reach end-of-file.
            try runServerTool(
                bin.appendingPathComponent("pg_ctl").path,
                ["-D", dataDir.path, "-l", logFile.path, "-w", "-t", "60", "-o", options, "start"],
                as: owner,
                captureOutput: false
            )
        } catch {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            throw Failure.command("pg_ctl start (port \(port))", status: 1, output: String(log.suffix(2000)))
        }
        logger.info(
            "private PostgreSQL started", metadata: ["port": .stringConvertible(port), "data": .string(dataDir.path)])
        return true
    }

    public func stop(mode: String = "fast") {
        guard let bin = try? Self.binaryFolder(), let owner = try? serverUser() else { return }
        do {
            try runServerTool(
                bin.appendingPathComponent("pg_ctl").path, ["-D", dataDir.path, "-m", mode, "-w", "stop"], as: owner)
            logger.info("private PostgreSQL stopped")
        } catch {
            logger.warning("could not stop private PostgreSQL", metadata: ["error": "\(error)"])
        }
    }

    /// As root: the OS user that owns and runs the cluster (`postgres`, created when missing).
    private func serverUser() throws -> String? {
        guard getuid() == 0 else { return nil }
        if getpwnam("postgres") == nil {
            try run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"])
        }
        return "postgres"
    }

    @discardableResult
    private func runServerTool(_ tool: String, _ arguments: [String], as owner: String?, captureOutput: Bool = true)
        throws
        -> String
    {
        if let owner {
            return try run("/usr/sbin/runuser", ["-u", owner, "--", tool] + arguments, captureOutput: captureOutput)
        }
        return try run(tool, arguments, captureOutput: captureOutput)
    }

    @discardableResult
    private func run(_ executable: String, _ arguments: [String], captureOutput: Bool = true) throws -> String {
        let result = try ChildProcess.run(executable, arguments)
        guard result.status == 0 else {
            throw Failure.command(
                ([executable] + arguments).joined(separator: " "), status: result.status, output: result.output)
        }
        return result.output
    }
}
