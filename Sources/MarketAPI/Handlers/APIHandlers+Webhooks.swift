import Foundation
import Kernel
import Logistics

extension APIHandlers {

    func listWebhookEndpoints(_ input: Operations.ListWebhookEndpoints.Input) async throws
        -> Operations.ListWebhookEndpoints.Output
    {
        _ = try RequestScope.requirePrincipal()
        let endpoints = try await webhooks.list(caller: caller)
        return .ok(.init(body: .json(.init(items: endpoints.map(\.schema), nextCursor: nil))))
    }

    func createWebhookEndpoint(_ input: Operations.CreateWebhookEndpoint.Input) async throws
        -> Operations.CreateWebhookEndpoint.Output
    {
        _ = try RequestScope.requirePrincipal()
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let supplierID = try body.supplierId.map { text throws(DomainError) in
            guard let id = UUID(uuidString: text) else { throw DomainError.invalid("supplier_id", "is not an id") }
            return id
        }
        let endpoint = try await webhooks.create(
            WebhookEndpointDraft(
                url: body.url, description: body.description, eventTypes: body.eventTypes.map(\.rawValue),
                supplierID: supplierID),
            caller: caller)
        return .created(.init(body: .json(endpoint.schema)))
    }

    func getWebhookEndpoint(_ input: Operations.GetWebhookEndpoint.Input) async throws
        -> Operations.GetWebhookEndpoint.Output
    {
        _ = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.endpointId, "webhook endpoint")
        return .ok(.init(body: .json(try await webhooks.get(id, caller: caller).schema)))
    }

    func updateWebhookEndpoint(_ input: Operations.UpdateWebhookEndpoint.Input) async throws
        -> Operations.UpdateWebhookEndpoint.Output
    {
        _ = try RequestScope.requirePrincipal()
        try RequestScope.rejectNulls()
        let id = try parseID(input.path.endpointId, "webhook endpoint")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let endpoint = try await webhooks.update(
            id,
            WebhookEndpointDraft(
                url: body.url, description: body.description, eventTypes: body.eventTypes?.map(\.rawValue),
                enabled: body.enabled),
            caller: caller)
        return .ok(.init(body: .json(endpoint.schema)))
    }

    func deleteWebhookEndpoint(_ input: Operations.DeleteWebhookEndpoint.Input) async throws
        -> Operations.DeleteWebhookEndpoint.Output
    {
        _ = try RequestScope.requirePrincipal()
        try await webhooks.delete(try parseID(input.path.endpointId, "webhook endpoint"), caller: caller)
        return .noContent(.init())
    }

    func rotateWebhookSecret(_ input: Operations.RotateWebhookSecret.Input) async throws
        -> Operations.RotateWebhookSecret.Output
    {
        _ = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.endpointId, "webhook endpoint")
        return .ok(.init(body: .json(try await webhooks.rotateSecret(id, caller: caller).schema)))
    }

    func listWebhookDeliveries(_ input: Operations.ListWebhookDeliveries.Input) async throws
        -> Operations.ListWebhookDeliveries.Output
    {
        _ = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.endpointId, "webhook endpoint")
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let page = try await webhooks.deliveries(
            of: id, status: input.query.status?.rawValue, limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }

    func replayWebhookDelivery(_ input: Operations.ReplayWebhookDelivery.Input) async throws
        -> Operations.ReplayWebhookDelivery.Output
    {
        _ = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.deliveryId, "webhook delivery")
        return .ok(.init(body: .json(try await webhooks.replay(id, caller: caller).schema)))
    }
}

extension WebhookEndpoint {
    var schema: Components.Schemas.WebhookEndpoint {
        .init(
            id: id.text, url: url, description: description,
            eventTypes: eventTypes.compactMap(Components.Schemas.WebhookEventType.init(rawValue:)),
            supplierId: supplierID?.text, enabled: enabled, disabledReason: disabledReason,
            failingSince: failingSince, createdAt: createdAt, secret: secret)
    }
}

extension WebhookDelivery {
    var schema: Components.Schemas.WebhookDelivery {
        .init(
            id: id.text, endpointId: endpointID.text, eventId: eventID, eventType: eventType,
            status: Components.Schemas.WebhookDelivery.StatusPayload(rawValue: status) ?? .pending,
            attempts: Int32(clamping: attempts), nextAttemptAt: nextAttemptAt,
            lastStatusCode: lastStatusCode.map { Int32(clamping: $0) }, lastError: lastError,
            lastDurationMs: lastDurationMS.map { Int32(clamping: $0) }, lastAttemptAt: lastAttemptAt,
            deliveredAt: deliveredAt, createdAt: createdAt)
    }
}
