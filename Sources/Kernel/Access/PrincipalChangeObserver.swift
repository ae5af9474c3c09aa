import Foundation

/// Told right after a commit that changed a user's role grants, so that this process's cached
/// principals drop that user before its next request. Other processes hear of the change from the
/// database (`principals_changed`, migration 0017); this only closes the gap until that arrives here.
public protocol PrincipalChangeObserver: Sendable {
    func principalChanged(user: UUID)
}
