// swift-tools-version:6.2
import PackageDescription

/// Our own targets build warning-free, and stay so: a new warning fails the build (CI included).
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "cho-buu-dien",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "market", targets: ["MarketAPI"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already built for the OpenAPI generator; reads the document's `security` per operation.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Templates of the pages for people (MarketWeb): logic-less, escaped by default.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Photo uploads from the seller pages (multipart/form-data).
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        // Webhook deliveries and message providers' HTTP APIs (DESIGN: outbound HTTP).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Traces (DESIGN: swift-distributed-tracing + swift-otel). Spans use the tracing API that
        // Hummingbird already builds; the OTLP exporter is swift-otel with only its HTTP transport (the
        // gRPC one would add grpc-swift to every build).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // The shared kernel under every module: errors, access, database plumbing, time, paging, money,
        // audit and accounts. docs/architecture.md is the map.
        .target(
            name: "Kernel",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Catalog",
            dependencies: [
                "Kernel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // SHA-256 names the product photos (content-addressed).
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Orders",
            dependencies: [
                "Kernel", "Catalog",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Logistics",
            dependencies: [
                "Kernel", "Catalog", "Orders",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Notifications/Templates")],
            swiftSettings: strict
        ),
        // Demo and scale data generation, apart from the serving edge.
        .target(
            name: "DemoData",
            dependencies: [
                "Kernel", "Catalog", "Orders", "Logistics",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Pages for people (the staff console, then the shop): templates, sessions, assets; calls the
        // same domain services as the API handlers.
        .target(
            name: "MarketWeb",
            dependencies: [
                "Kernel", "Catalog", "Orders", "Logistics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "MarketAPI",
            dependencies: [
                "Kernel", "Catalog", "Orders", "Logistics", "DemoData", "MarketWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: strict,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // A migrated template database and a fresh copy of it per test, for every module's tests.
        .target(
            name: "DatabaseTestSupport",
            dependencies: [
                "Kernel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/DatabaseTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "KernelTests",
            dependencies: ["Kernel"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CatalogTests",
            dependencies: ["Kernel", "Catalog", "DatabaseTestSupport"],
            // The reviewed search statements, read by SearchSQLTests from the source tree.
            exclude: ["SQLSnapshots"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OrdersTests",
            dependencies: ["Kernel", "Catalog", "Orders", "DatabaseTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LogisticsTests",
            dependencies: ["Kernel", "Orders", "Logistics", "DatabaseTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MarketAPITests",
            dependencies: [
                "MarketAPI", "MarketWeb", "Kernel", "DemoData", "DatabaseTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // A JPEG with GPS EXIF for the photo upload tests, read from the source tree.
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
    ]
)
