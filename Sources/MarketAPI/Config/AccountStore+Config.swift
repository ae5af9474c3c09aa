import Kernel
import Logging

extension AccountStore {
    /// The store as configured for this process (bcrypt cost, lock-out rule, token lifetime).
    init(config: AppConfig, db: Database, logger: Logger, principalCache: PrincipalCache? = nil) {
        self.init(
            db: db,
            passwords: Passwords(cost: config.bcryptCost),
            throttle: LoginThrottle(maxFailures: config.loginMaxFailures, lockDuration: config.loginLockSeconds),
            tokenLifetime: config.tokenLifetime,
            logger: logger,
            principalCache: principalCache
        )
    }
}
