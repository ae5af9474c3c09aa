import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// The audit trail for an admin: every recorded change, newest first, narrowed by kind of record, the
/// record's id, the action, who did it (by email) and the days it happened on.
extension ConsoleSite {
    struct AuditFilter {
        var entityType: String?
        var entityID: String?
        var action: String?
        var actorEmail: String?
        var from: String?
        var to: String?

        init(_ request: Request) {
            func value(_ name: String) -> String? {
                let text = ConsoleSite.query(request, name)?.trimmingCharacters(in: .whitespaces) ?? ""
                return text.isEmpty ? nil : text
            }
            entityType = value("loai")
            entityID = value("ma")
            action = value("hanh-dong")
            actorEmail = value("nguoi")?.lowercased()
            from = value("tu")
            to = value("den")
        }

        /// The same rules as the API's filters; a day is Vietnam's calendar day.
        func validate() throws(DomainError) -> (since: Date?, until: Date?) {
            var v = Validator()
            if let entityType {
                v.check(AuditWords.entityLabels[entityType] != nil, "entity_type", "is not a kind of record")
            }
            if let entityID {
                v.check(
                    entityID.utf8.count <= 64
                        && entityID.allSatisfy { $0 == "-" || ($0.isASCII && ($0.isLetter || $0.isNumber)) },
                    "entity_id", "must be letters, digits and dashes")
            }
            if let action {
                v.check(
                    action.utf8.count <= 64
                        && action.allSatisfy { $0 == "_" || $0 == "." || ($0.isASCII && $0.isLowercase) },
                    "action", "is not an action")
            }
            if let actorEmail { v.check(actorEmail.utf8.count <= 254, "email", "is too long") }
            let since = from.flatMap(BusinessDay.start(of:))
            let last = to.flatMap { BusinessDay.adding(1, to: $0) }.flatMap(BusinessDay.start(of:))
            v.check(from == nil || since != nil, "from", "must be a date")
            v.check(to == nil || last != nil, "to", "must be a date")
            try v.done()
            return (since, last)
        }

        var query: String {
            [
                ("loai", entityType), ("ma", entityID), ("hanh-dong", action), ("nguoi", actorEmail), ("tu", from),
                ("den", to),
            ].compactMap { name, value in value.map { "\(name)=\(URLText.component($0))" } }.joined(separator: "&")
        }
    }

    func auditTrail(_ session: WebSession, filter: AuditFilter, after: String?) async throws -> Response {
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        let (since, until) = try filter.validate()
        let cursor = try after.map { text throws(DomainError) in try PageCursor.decode(text, field: "sau") }
        var values: [String: Any] = [
            "user": session.header,
            "types": AuditWords.entityTypes.map { type in
                var option: [String: Any] = ["value": type.code, "label": type.label]
                if type.code == filter.entityType { option["selected"] = true }
                return option
            },
            "actions": AuditWords.actions.sorted { VietnameseOrder.precedes($0.label, $1.label) }.map { action in
                var option: [String: Any] = ["value": action.code, "label": action.label]
                if action.code == filter.action { option["selected"] = true }
                return option
            },
            "entityID": filter.entityID ?? "", "email": filter.actorEmail ?? "", "from": filter.from ?? "",
            "to": filter.to ?? "",
        ]
        var actor: UUID?
        if let email = filter.actorEmail {
            let matches = try await services.accounts.users(limit: 5, after: nil, role: nil, emailPrefix: email)
            guard let user = matches.users.first(where: { $0.email == email }) else {
                values["noActor"] = true
                values["items"] = [[String: Any]]()
                return render("audit", values)
            }
            actor = user.id
        }
        let page = try await services.audit.events(
            limit: 50, after: cursor, entityType: filter.entityType, entityID: filter.entityID, actorID: actor,
            action: filter.action, since: since, until: until)
        var names: [UUID: String] = [:]
        for id in Set(page.events.compactMap(\.actorID)) {
            let user = try await services.accounts.user(id: id)
            names[id] = "\(user.displayName) (\(user.email))"
        }
        values["items"] = page.events.map { event -> [String: Any] in
            var item: [String: Any] = [
                "at": VietnameseFormat.dateTime(event.occurredAt),
                "action": AuditWords.actionLabels[event.action] ?? event.action, "code": event.action,
                "entity": (AuditWords.entityLabels[event.entityType] ?? event.entityType) + " " + event.entityID,
                "actor": event.actorID.flatMap { names[$0] } ?? "hệ thống",
            ]
            let details = event.details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            if !details.isEmpty { item["details"] = details.joined(separator: " · ") }
            if let request = event.requestID { item["request"] = request }
            return item
        }
        if let next = page.next {
            let query = filter.query
            values["next"] = "/console/nhat-ky?" + (query.isEmpty ? "" : query + "&") + "sau=\(next.encoded)"
        }
        return render("audit", values)
    }
}
