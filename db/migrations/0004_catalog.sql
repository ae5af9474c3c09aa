-- Catalog (SPEC §3): suppliers, categories, products and variants, stock adjustments, OCOP
-- certificates, and the search columns and indexes behind GET /v1/products.

-- Search text: NFC first (so a tone mark typed as a combining character and one typed precomposed
-- match), then unaccent (which also maps đ/Đ to d/D), then lower-case. After unaccent the text is
-- ASCII for Vietnamese, so lower() does not depend on the database's locale. unaccent() itself is
-- only STABLE (its dictionary could change); naming the dictionary makes the wrapper safe to mark
-- IMMUTABLE, which generated columns and indexes need.
CREATE OR REPLACE FUNCTION vn_search_norm(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, normalize(value, NFC)));

-- Today in the business time zone; certificates and cut-offs are judged by this calendar.
CREATE OR REPLACE FUNCTION vn_today() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;

-- Banks that take NAPAS 247 transfers, by their BIN (the code VietQR payloads carry).
CREATE TABLE banks (
    bin         text PRIMARY KEY CHECK (bin ~ '^[0-9]{6}$'),
    short_name  text NOT NULL,
    name        text NOT NULL
);
INSERT INTO banks (bin, short_name, name) VALUES
    ('970405', 'Agribank', 'Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam'),
    ('970436', 'Vietcombank', 'Ngân hàng TMCP Ngoại thương Việt Nam'),
    ('970415', 'VietinBank', 'Ngân hàng TMCP Công thương Việt Nam'),
    ('970418', 'BIDV', 'Ngân hàng TMCP Đầu tư và Phát triển Việt Nam'),
    ('970407', 'Techcombank', 'Ngân hàng TMCP Kỹ thương Việt Nam'),
    ('970422', 'MB', 'Ngân hàng TMCP Quân đội'),
    ('970416', 'ACB', 'Ngân hàng TMCP Á Châu'),
    ('970432', 'VPBank', 'Ngân hàng TMCP Việt Nam Thịnh Vượng'),
    ('970423', 'TPBank', 'Ngân hàng TMCP Tiên Phong'),
    ('970403', 'Sacombank', 'Ngân hàng TMCP Sài Gòn Thương Tín'),
    ('970437', 'HDBank', 'Ngân hàng TMCP Phát triển TP. Hồ Chí Minh'),
    ('970441', 'VIB', 'Ngân hàng TMCP Quốc tế Việt Nam'),
    ('970443', 'SHB', 'Ngân hàng TMCP Sài Gòn – Hà Nội'),
    ('970431', 'Eximbank', 'Ngân hàng TMCP Xuất Nhập khẩu Việt Nam'),
    ('970426', 'MSB', 'Ngân hàng TMCP Hàng Hải Việt Nam'),
    ('970448', 'OCB', 'Ngân hàng TMCP Phương Đông'),
    ('970429', 'SCB', 'Ngân hàng TMCP Sài Gòn'),
    ('970440', 'SeABank', 'Ngân hàng TMCP Đông Nam Á'),
    ('970454', 'BVBank', 'Ngân hàng TMCP Bản Việt'),
    ('970452', 'KienlongBank', 'Ngân hàng TMCP Kiên Long'),
    ('970428', 'Nam A Bank', 'Ngân hàng TMCP Nam Á'),
    ('970449', 'LPBank', 'Ngân hàng TMCP Lộc Phát Việt Nam'),
    ('970425', 'ABBANK', 'Ngân hàng TMCP An Bình'),
    ('970427', 'VietABank', 'Ngân hàng TMCP Việt Á'),
    ('970419', 'NCB', 'Ngân hàng TMCP Quốc Dân'),
    ('970430', 'PGBank', 'Ngân hàng TMCP Thịnh vượng và Phát triển'),
    ('970409', 'BacABank', 'Ngân hàng TMCP Bắc Á'),
    ('970412', 'PVcomBank', 'Ngân hàng TMCP Đại Chúng Việt Nam'),
    ('970414', 'MBV', 'Ngân hàng TNHH MTV Việt Nam Hiện Đại'),
    ('970438', 'BaoVietBank', 'Ngân hàng TMCP Bảo Việt'),
    ('970400', 'Saigonbank', 'Ngân hàng TMCP Sài Gòn Công Thương'),
    ('970406', 'Vikki Bank', 'Ngân hàng TNHH MTV Số Vikki'),
    ('970408', 'GPBank', 'Ngân hàng TNHH MTV Dầu Khí Toàn Cầu'),
    ('970433', 'VietBank', 'Ngân hàng TMCP Việt Nam Thương Tín'),
    ('970444', 'CBBank', 'Ngân hàng TNHH MTV Xây dựng Việt Nam'),
    ('970446', 'Co-opBank', 'Ngân hàng Hợp tác xã Việt Nam'),
    ('970424', 'Shinhan Bank', 'Ngân hàng TNHH MTV Shinhan Việt Nam'),
    ('970457', 'Woori Bank', 'Ngân hàng TNHH MTV Woori Việt Nam'),
    ('970458', 'UOB', 'Ngân hàng United Overseas Bank Việt Nam'),
    ('970410', 'Standard Chartered', 'Ngân hàng TNHH MTV Standard Chartered Việt Nam'),
    ('970439', 'Public Bank', 'Ngân hàng TNHH MTV Public Việt Nam'),
    ('970442', 'Hong Leong Bank', 'Ngân hàng TNHH MTV Hong Leong Việt Nam'),
    ('970421', 'VRB', 'Ngân hàng Liên doanh Việt – Nga'),
    ('970434', 'Indovina Bank', 'Ngân hàng TNHH Indovina'),
    ('422589', 'CIMB', 'Ngân hàng TNHH MTV CIMB Việt Nam');

-- Which post office serves which commune: a supplier's pickups, and the clerks who may approve it,
-- follow its commune. Filled by logistics set-up and the demo data.
CREATE TABLE post_office_communes (
    commune_code    text PRIMARY KEY REFERENCES communes (code),
    post_office_id  uuid NOT NULL REFERENCES post_offices (id)
);
CREATE INDEX post_office_communes_office_idx ON post_office_communes (post_office_id);

-- The rest of a supplier. Rows that existed before this migration stay `pending` until completed,
-- so the pickup address may be missing only while pending.
ALTER TABLE suppliers
    ADD COLUMN kind text NOT NULL DEFAULT 'household'
        CHECK (kind IN ('household', 'cooperative', 'enterprise', 'post_office_point')),
    ADD COLUMN status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'suspended')),
    ADD COLUMN status_reason text,
    ADD COLUMN phone text CHECK (phone ~ '^(\+84|0)[1-9][0-9]{8,9}$'),
    ADD COLUMN email text,
    ADD COLUMN description text NOT NULL DEFAULT '',
    ADD COLUMN tax_code text CHECK (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
    ADD COLUMN province_code text REFERENCES provinces (code),
    ADD COLUMN commune_code text REFERENCES communes (code),
    ADD COLUMN address_line text,
    ADD COLUMN lat double precision CHECK (lat BETWEEN -90 AND 90),
    ADD COLUMN lon double precision CHECK (lon BETWEEN -180 AND 180),
    ADD COLUMN payout_method text NOT NULL DEFAULT 'counter_cash'
        CHECK (payout_method IN ('bank_transfer', 'counter_cash')),
    ADD COLUMN bank_bin text REFERENCES banks (bin),
    ADD COLUMN account_no text CHECK (account_no ~ '^[0-9]{6,19}$'),
    ADD COLUMN account_name text CHECK (account_name ~ '^[A-Z0-9 .,&()-]{2,70}$'),
    ADD COLUMN approved_at timestamptz,
    ADD COLUMN approved_by uuid REFERENCES users (id),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT suppliers_payout CHECK (
        (payout_method = 'bank_transfer' AND bank_bin IS NOT NULL AND account_no IS NOT NULL AND account_name IS NOT NULL)
        OR (payout_method = 'counter_cash' AND bank_bin IS NULL AND account_no IS NULL AND account_name IS NULL)
    ),
    ADD CONSTRAINT suppliers_address CHECK (
        status = 'pending'
        OR (phone IS NOT NULL AND province_code IS NOT NULL AND commune_code IS NOT NULL AND address_line IS NOT NULL)
    );
CREATE INDEX suppliers_status_idx ON suppliers (status, created_at DESC, id DESC);
CREATE INDEX suppliers_commune_idx ON suppliers (commune_code);

-- A two-level tree: the six OCOP product groups (QĐ 148/QĐ-TTg, 2023) and their sub-groups.
CREATE TABLE categories (
    code           text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]{2,40}$'),
    parent_code    text REFERENCES categories (code),
    name           text NOT NULL,
    name_en        text NOT NULL,
    is_ocop_group  boolean NOT NULL DEFAULT false,
    position       integer NOT NULL
);
INSERT INTO categories (code, parent_code, name, name_en, is_ocop_group, position) VALUES
    ('food', NULL, 'Thực phẩm', 'Food', true, 1),
    ('beverages', NULL, 'Đồ uống', 'Beverages', true, 2),
    ('herbal', NULL, 'Dược liệu và sản phẩm từ dược liệu', 'Medicinal herbs and herbal products', true, 3),
    ('handicrafts', NULL, 'Thủ công mỹ nghệ', 'Handicrafts', true, 4),
    ('ornamental', NULL, 'Sinh vật cảnh', 'Ornamental plants and animals', true, 5),
    ('tourism', NULL, 'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch',
        'Community tourism, eco-tourism and tourist sites', true, 6),
    ('fresh-produce', 'food', 'Nông sản tươi sống', 'Fresh produce', false, 1),
    ('dried-produce', 'food', 'Nông sản sơ chế, khô', 'Dried and semi-processed produce', false, 2),
    ('processed-food', 'food', 'Thực phẩm chế biến', 'Processed food', false, 3),
    ('seasonings', 'food', 'Gia vị, nước mắm', 'Seasonings and fish sauce', false, 4),
    ('tea', 'food', 'Chè và sản phẩm từ chè', 'Tea', false, 5),
    ('coffee-cocoa', 'food', 'Cà phê, ca cao', 'Coffee and cocoa', false, 6),
    ('honey', 'food', 'Mật ong và sản phẩm từ ong', 'Honey and bee products', false, 7),
    ('spirits', 'beverages', 'Rượu', 'Spirits and wines', false, 1),
    ('soft-drinks', 'beverages', 'Đồ uống không cồn', 'Soft drinks and juices', false, 2),
    ('herbal-medicine', 'herbal', 'Dược liệu', 'Medicinal herbs', false, 1),
    ('functional-food', 'herbal', 'Thực phẩm chức năng từ dược liệu', 'Herbal supplements', false, 2),
    ('herbal-cosmetics', 'herbal', 'Mỹ phẩm, tinh dầu từ dược liệu', 'Herbal cosmetics and essential oils', false, 3),
    ('textiles', 'handicrafts', 'Dệt may, thổ cẩm', 'Textiles and brocade', false, 1),
    ('bamboo-rattan', 'handicrafts', 'Mây tre đan', 'Bamboo and rattan', false, 2),
    ('pottery', 'handicrafts', 'Gốm sứ', 'Pottery', false, 3),
    ('woodwork', 'handicrafts', 'Đồ gỗ, mỹ nghệ', 'Woodwork', false, 4),
    ('flowers', 'ornamental', 'Hoa', 'Flowers', false, 1),
    ('bonsai', 'ornamental', 'Cây cảnh', 'Bonsai and ornamental plants', false, 2),
    ('ornamental-animals', 'ornamental', 'Động vật cảnh', 'Ornamental animals', false, 3),
    ('community-tourism', 'tourism', 'Du lịch cộng đồng', 'Community tourism', false, 1),
    ('eco-tourism', 'tourism', 'Du lịch sinh thái, điểm du lịch', 'Eco-tourism and tourist sites', false, 2);

CREATE TABLE products (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    supplier_id            uuid NOT NULL REFERENCES suppliers (id),
    title                  text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description            text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
    category_code          text NOT NULL REFERENCES categories (code),
    -- The root of category_code, so a filter on a group finds its sub-groups with one index.
    category_group         text NOT NULL REFERENCES categories (code),
    origin_province_code   text NOT NULL REFERENCES provinces (code),
    images                 text[] NOT NULL DEFAULT '{}' CHECK (cardinality(images) <= 10),
    is_regional_specialty  boolean NOT NULL DEFAULT false,
    status                 text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending_review', 'active', 'rejected', 'archived')),
    rejection_reason       text,
    -- Mirrors of other rows, kept by the triggers below so that search filters use this row only.
    supplier_active        boolean NOT NULL DEFAULT false,
    min_price_vnd          bigint,
    ocop_stars             smallint,
    ocop_expires_on        date,
    search_title           text GENERATED ALWAYS AS (vn_search_norm(title)) STORED,
    search_doc             tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, vn_search_norm(title || ' ' || description))) STORED,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, supplier_id)
);
CREATE INDEX products_supplier_idx ON products (supplier_id, created_at DESC, id DESC);
CREATE INDEX products_review_idx ON products (created_at, id) WHERE status = 'pending_review';
-- What buyers may see: every search index is partial on it.
CREATE INDEX products_listed_newest_idx ON products (created_at DESC, id DESC)
    WHERE status = 'active' AND supplier_active;
CREATE INDEX products_listed_price_idx ON products (min_price_vnd, id)
    WHERE status = 'active' AND supplier_active;
CREATE INDEX products_listed_title_trgm_idx ON products USING gin (search_title gin_trgm_ops)
    WHERE status = 'active' AND supplier_active;
CREATE INDEX products_listed_doc_idx ON products USING gin (search_doc)
    WHERE status = 'active' AND supplier_active;
CREATE INDEX products_listed_category_idx ON products (category_code) WHERE status = 'active' AND supplier_active;
CREATE INDEX products_listed_group_idx ON products (category_group) WHERE status = 'active' AND supplier_active;
CREATE INDEX products_listed_province_idx ON products (origin_province_code)
    WHERE status = 'active' AND supplier_active;
CREATE INDEX products_listed_ocop_idx ON products (ocop_stars, ocop_expires_on)
    WHERE status = 'active' AND supplier_active AND ocop_stars IS NOT NULL;

CREATE TABLE product_variants (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id     uuid NOT NULL,
    supplier_id    uuid NOT NULL,
    sku            text NOT NULL CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name           text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    price_vnd      bigint NOT NULL CHECK (price_vnd BETWEEN 1 AND 1000000000),
    weight_grams   integer NOT NULL CHECK (weight_grams BETWEEN 1 AND 50000),
    stock_on_hand  integer NOT NULL CHECK (stock_on_hand BETWEEN 0 AND 1000000),
    is_active      boolean NOT NULL DEFAULT true,
    position       integer NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- The composite key keeps a variant's supplier equal to its product's, so SKUs are unique per supplier.
    FOREIGN KEY (product_id, supplier_id) REFERENCES products (id, supplier_id),
    UNIQUE (supplier_id, sku)
);
CREATE INDEX product_variants_product_idx ON product_variants (product_id, position);

-- Every stock change made by a producer, with why; orders move stock through their own records.
CREATE TABLE stock_adjustments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    variant_id   uuid NOT NULL REFERENCES product_variants (id),
    delta        integer NOT NULL CHECK (delta <> 0),
    stock_after  integer NOT NULL CHECK (stock_after >= 0),
    reason       text NOT NULL,
    actor_id     uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_adjustments_variant_idx ON stock_adjustments (variant_id, id DESC);

CREATE TABLE ocop_certifications (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id      uuid NOT NULL REFERENCES products (id),
    stars           smallint NOT NULL CHECK (stars BETWEEN 3 AND 5),
    certificate_no  text NOT NULL CHECK (char_length(certificate_no) BETWEEN 1 AND 64),
    issued_by       text NOT NULL CHECK (issued_by IN ('province', 'national')),
    issued_on       date NOT NULL,
    expires_on      date NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'rejected')),
    review_note     text,
    submitted_by    uuid REFERENCES users (id),
    reviewed_by     uuid REFERENCES users (id),
    reviewed_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- 3★ and 4★ are recognised by the province, 5★ only nationally (QĐ 1489/QĐ-TTg, 2025).
    CONSTRAINT ocop_five_stars_national CHECK (stars < 5 OR issued_by = 'national'),
    -- A certificate is valid for at most 36 months.
    CONSTRAINT ocop_validity CHECK (expires_on > issued_on AND expires_on <= issued_on + interval '36 months')
);
CREATE INDEX ocop_certifications_product_idx ON ocop_certifications (product_id, created_at DESC);
CREATE INDEX ocop_certifications_pending_idx ON ocop_certifications (created_at, id) WHERE status = 'pending';

-- products.category_group follows category_code.
CREATE OR REPLACE FUNCTION products_set_category_group() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT COALESCE(parent_code, code) INTO NEW.category_group FROM categories WHERE code = NEW.category_code;
    RETURN NEW;
END $$;
CREATE TRIGGER products_category_group BEFORE INSERT OR UPDATE OF category_code ON products
    FOR EACH ROW EXECUTE FUNCTION products_set_category_group();

-- products.supplier_active follows the supplier's status: suspending a supplier hides its products
-- in the same transaction.
CREATE OR REPLACE FUNCTION products_set_supplier_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT status = 'active' INTO NEW.supplier_active FROM suppliers WHERE id = NEW.supplier_id;
    RETURN NEW;
END $$;
CREATE TRIGGER products_supplier_active BEFORE INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION products_set_supplier_active();

CREATE OR REPLACE FUNCTION suppliers_propagate_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE products SET supplier_active = (NEW.status = 'active')
    WHERE supplier_id = NEW.id AND supplier_active IS DISTINCT FROM (NEW.status = 'active');
    RETURN NULL;
END $$;
CREATE TRIGGER suppliers_status_propagates AFTER UPDATE OF status ON suppliers
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION suppliers_propagate_status();

-- products.min_price_vnd is the cheapest active variant (the "from" price buyers filter and sort by).
-- Only price and activity changes touch it, so orders taking stock never lock the product row.
CREATE OR REPLACE FUNCTION variants_refresh_min_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE products p SET min_price_vnd = (
        SELECT min(price_vnd) FROM product_variants v WHERE v.product_id = p.id AND v.is_active)
    WHERE p.id = NEW.product_id;
    RETURN NULL;
END $$;
CREATE TRIGGER variants_min_price_insert AFTER INSERT ON product_variants
    FOR EACH ROW EXECUTE FUNCTION variants_refresh_min_price();
CREATE TRIGGER variants_min_price_update AFTER UPDATE OF price_vnd, is_active ON product_variants
    FOR EACH ROW EXECUTE FUNCTION variants_refresh_min_price();

-- products.ocop_stars/ocop_expires_on are those of the most recently issued verified certificate.
-- Whether it is still valid is decided by each query against vn_today(), so expiry needs no job.
CREATE OR REPLACE FUNCTION ocop_refresh_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE products p SET (ocop_stars, ocop_expires_on) = (
        SELECT c.stars, c.expires_on FROM ocop_certifications c
        WHERE c.product_id = p.id AND c.status = 'verified'
        ORDER BY c.issued_on DESC, c.created_at DESC LIMIT 1)
    WHERE p.id = NEW.product_id;
    RETURN NULL;
END $$;
CREATE TRIGGER ocop_certifications_refresh AFTER INSERT OR UPDATE OF status ON ocop_certifications
    FOR EACH ROW EXECUTE FUNCTION ocop_refresh_product();

-- Every process that caches product details listens on `catalog_changed`; any change to what a
-- product page shows (the product, its variants and stock, its supplier) notifies the product id at
-- commit, whichever code path made it, orders included.
CREATE OR REPLACE FUNCTION catalog_notify_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('catalog_changed', NEW.id::text);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION catalog_notify_variant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('catalog_changed', NEW.product_id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER products_notify AFTER UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION catalog_notify_product();
CREATE TRIGGER product_variants_notify AFTER INSERT OR UPDATE ON product_variants
    FOR EACH ROW EXECUTE FUNCTION catalog_notify_variant();

-- A supplier's name and status appear on its product pages.
CREATE OR REPLACE FUNCTION catalog_notify_supplier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('catalog_changed', 'supplier:' || NEW.id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER suppliers_notify AFTER UPDATE ON suppliers
    FOR EACH ROW EXECUTE FUNCTION catalog_notify_supplier();
