-- A signed-in buyer's cart (issue 19), kept on the server so it follows the buyer from the phone to a
-- computer; a visitor who is not signed in keeps it in a cookie, merged into this one at sign-in.
-- Ids and quantities only: prices are read again whenever the cart is shown or ordered.
CREATE TABLE cart_lines (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    variant_id  uuid NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    quantity    integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, variant_id)
);
