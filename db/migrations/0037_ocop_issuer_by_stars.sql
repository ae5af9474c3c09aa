-- Issue 20: the issuer follows the star level (QĐ 148/QĐ-TTg, 2023): 3★ and 4★ are recognised by the
-- province council, 5★ by the national one (0004 already refused a provincial 5★). A national 3★ or 4★
-- recorded before this rule is marked rejected (it cannot be in force), and the rule holds from now on.
UPDATE ocop_certifications SET status = 'rejected'
WHERE stars < 5 AND issued_by = 'national' AND status <> 'rejected';
ALTER TABLE ocop_certifications
    ADD CONSTRAINT ocop_three_four_stars_provincial CHECK (stars = 5 OR issued_by = 'province' OR status = 'rejected');
