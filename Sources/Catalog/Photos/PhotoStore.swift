import Foundation
import Kernel
import Logging
import PostgresNIO

/// Where resized photos live. Content-addressed (a file's name is its photo's SHA-256 and size), so
/// writing twice is harmless and a file never changes once written.
public protocol PhotoStore: Sendable {
    func put(_ name: String, _ bytes: [UInt8]) async throws
    func get(_ name: String) async throws -> [UInt8]?
}

/// A folder under the data directory: the default for one process with its private database.
public struct FolderPhotoStore: PhotoStore {
    let folder: URL

    public init(folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.folder = folder
    }

    public func put(_ name: String, _ bytes: [UInt8]) async throws {
        let target = folder.appendingPathComponent(name)
        guard !FileManager.default.fileExists(atPath: target.path) else { return }
        // Written aside, then renamed: a reader never sees half a file.
        let temporary = folder.appendingPathComponent(".\(name).\(UUID().uuidString)")
        try Data(bytes).write(to: temporary)
        do {
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if !FileManager.default.fileExists(atPath: target.path) { throw error }
        }
    }

    public func get(_ name: String) async throws -> [UInt8]? {
        FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map { Array($0) }
    }
}

/// A table every API replica shares (migration 0027): the store for a cluster, where a photo
/// uploaded through one replica must be served by all of them.
public struct DatabasePhotoStore: PhotoStore {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    public func put(_ name: String, _ bytes: [UInt8]) async throws {
        try await db.withConnection { connection in
            _ = try await connection.query(
                "INSERT INTO photo_files (name, bytes) VALUES (\(name), \(ByteBuffer(bytes: bytes))) ON CONFLICT DO NOTHING",
                logger: logger)
        }
    }

    public func get(_ name: String) async throws -> [UInt8]? {
        try await db.withConnection { connection in
            let rows = try await connection.query(
                "SELECT bytes FROM photo_files WHERE name = \(name)", logger: logger
            ).collect()
            guard let row = rows.first else { return nil }
            var buffer = try row.decode(ByteBuffer.self)
            return buffer.readBytes(length: buffer.readableBytes)
        }
    }
}
