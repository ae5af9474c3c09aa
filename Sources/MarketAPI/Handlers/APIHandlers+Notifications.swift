import Foundation
import Kernel
import Logistics

extension APIHandlers {
    func listMyNotifications(_ input: Operations.ListMyNotifications.Input) async throws
        -> Operations.ListMyNotifications.Output
    {
        let principal = try RequestScope.requirePrincipal()
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let page = try await notifications.inbox(
            of: principal.userID, unreadOnly: input.query.unread ?? false, limit: limit, after: cursor)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.items.map(\.schema), nextCursor: page.next?.encoded,
                        unreadCount: Int32(clamping: page.unread)))))
    }

    func markNotificationRead(_ input: Operations.MarkNotificationRead.Input) async throws
        -> Operations.MarkNotificationRead.Output
    {
        let principal = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.notificationId, "notification")
        return .ok(.init(body: .json(try await notifications.markRead(id, of: principal.userID).schema)))
    }

    func markAllNotificationsRead(_ input: Operations.MarkAllNotificationsRead.Input) async throws
        -> Operations.MarkAllNotificationsRead.Output
    {
        let principal = try RequestScope.requirePrincipal()
        try await notifications.markAllRead(of: principal.userID)
        return .noContent(.init())
    }

    func getNotificationPreferences(_ input: Operations.GetNotificationPreferences.Input) async throws
        -> Operations.GetNotificationPreferences.Output
    {
        let principal = try RequestScope.requirePrincipal()
        return .ok(.init(body: .json(.init(try await notifications.channels(of: principal.userID)))))
    }

    func setNotificationPreferences(_ input: Operations.SetNotificationPreferences.Input) async throws
        -> Operations.SetNotificationPreferences.Output
    {
        let principal = try RequestScope.requirePrincipal()
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        var chosen: Set<MessageChannel> = []
        if body.email { chosen.insert(.email) }
        if body.sms { chosen.insert(.sms) }
        if body.zalo { chosen.insert(.zalo) }
        try await notifications.setChannels(chosen, of: principal.userID, requestID: requestID)
        return .ok(.init(body: .json(.init(chosen))))
    }
}

extension APIHandlers {
    func listOutboundMessages(_ input: Operations.ListOutboundMessages.Input) async throws
        -> Operations.ListOutboundMessages.Output
    {
        _ = try RequestScope.requirePrincipal()
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let page = try await outboundMessages.list(
            status: input.query.status?.rawValue, limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }
}

extension OutboundMessageRecord {
    var schema: Components.Schemas.OutboundMessage {
        .init(
            id: id.text, userId: userID?.text,
            channel: Components.Schemas.OutboundMessage.ChannelPayload(rawValue: channel.rawValue) ?? .email,
            recipient: recipient, template: template,
            status: Components.Schemas.OutboundMessage.StatusPayload(rawValue: status) ?? .pending,
            attempts: Int32(clamping: attempts), lastError: lastError, provider: provider,
            nextAttemptAt: nextAttemptAt, sentAt: sentAt, createdAt: createdAt)
    }
}

extension Components.Schemas.NotificationPreferences {
    init(_ channels: Set<MessageChannel>) {
        self.init(email: channels.contains(.email), sms: channels.contains(.sms), zalo: channels.contains(.zalo))
    }
}

extension InboxNotification {
    var schema: Components.Schemas.Notification {
        .init(id: id.text, kind: kind, title: title, body: body, link: link, createdAt: createdAt, readAt: readAt)
    }
}
