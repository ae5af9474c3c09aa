"""The seller pages in a real browser (headless Chromium through Selenium), against a running
`market serve` with demo data. Run by deploy/browser-test, which starts the server.

What a producer does: signs in at /dang-nhap, lists a first product with a photo taken on the phone
(a real JPEG with GPS EXIF: the served image has none), sends it for review, adds another size of
it, changes the bank account the shop is paid into; accepts a buyer's
package, marks it ready and prints its label. Another producer gets "not found" on the first one's
pages. Screenshots at phone (360 px) and desktop (1280 px) width go to docs/seller/.
"""
import os
import sys
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from console_test import BASE, PASSWORD, api, browser, shoot as console_shoot, token  # noqa: E402

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SHOTS = os.environ.get("SELLER_SCREENSHOTS", "docs/seller")
PHOTO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "MarketAPITests", "Fixtures", "gps-photo.jpg"))


def shoot(driver, name):
    console_shoot(driver, name, SHOTS)


def sign_in(driver, email, password=PASSWORD):
    driver.delete_all_cookies()
    driver.get(BASE + "/dang-nhap?tiep=%2Fgian-hang")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button.big").click()
    WebDriverWait(driver, 10).until(lambda d: "/gian-hang" in d.current_url)


def main():
    producer = token("producer@demo.chobuudien.vn")
    me = api("GET", "/v1/me", token=producer)
    supplier = next(g["supplier_id"] for g in me["roles"] if g["role"] == "producer")
    # A buyer orders one of the demo producer's products: a package waits for it.
    products = api("GET", f"/v1/products?supplier_id={supplier}&in_stock=true&limit=1")["items"]
    variant = api("GET", f"/v1/products/{products[0]['id']}")["variants"][0]["id"]
    buyer = token("buyer@demo.chobuudien.vn")
    api("POST", "/v1/orders", {
        "lines": [{"variant_id": variant, "quantity": 1}], "payment_method": "cod",
        "shipping_address": {"recipient_name": "Lê Văn Bình", "phone": "0905777888", "province_code": "48",
                             "commune_code": "20410", "address_line": "9 Nguyễn Duy Hiệu"},
    }, token=buyer)

    driver = browser()
    try:
        sign_in(driver, "producer@demo.chobuudien.vn")
        WebDriverWait(driver, 10).until(lambda d: "Chờ xác nhận" in d.page_source)
        shop_url = driver.current_url.split("?")[0]
        assert "Lê Văn Bình" not in driver.page_source  # the list shows goods, not the buyer
        shoot(driver, "packages")

        # A first product with one photo, as a household would do it on the phone.
        driver.get(shop_url + "/san-pham/moi")
        driver.find_element(By.ID, "anh").send_keys(PHOTO)
        title = "Mắm cá cơm Cửa Đại " + uuid.uuid4().hex[:4]
        driver.find_element(By.ID, "ten").send_keys(title)
        Select(driver.find_element(By.ID, "danh-muc")).select_by_value("seasonings")
        driver.find_element(By.ID, "loai").send_keys("Hũ 500 g")
        driver.find_element(By.ID, "gia").send_keys("85.000")
        driver.find_element(By.ID, "can-nang").send_keys("700")
        driver.find_element(By.ID, "so-luong").send_keys("20")
        shoot(driver, "new-product")
        driver.find_element(By.CSS_SELECTOR, "form button.big").click()
        WebDriverWait(driver, 20).until(lambda d: "Đã lưu sản phẩm" in d.page_source)
        photo = driver.find_element(By.CSS_SELECTOR, ".photos-row img").get_attribute("src")
        with urllib.request.urlopen(photo.replace("-320.jpg", "-1280.jpg")) as reply:
            served = reply.read()
        assert served[:3] == b"\xff\xd8\xff" and b"Exif" not in served, "served photo keeps EXIF"
        with urllib.request.urlopen(photo.replace("-320.jpg", "-640.webp")) as reply:
            assert b"EXIF" not in reply.read(), "served WebP keeps EXIF"
        driver.find_element(By.XPATH, "//button[normalize-space()='Gửi duyệt']").click()
        WebDriverWait(driver, 10).until(lambda d: "Đã gửi duyệt" in d.page_source)
        product_url = driver.current_url.split("?")[0]
        # Another size of the same product, added from the product's page.
        driver.find_element(By.XPATH, "//summary[normalize-space()='Thêm loại hàng (cỡ, gói khác)']").click()
        driver.find_element(By.ID, "ten-loai-moi").send_keys("Hũ 1 kg")
        driver.find_element(By.ID, "gia-moi").send_keys("150.000")
        driver.find_element(By.ID, "can-nang-moi").send_keys("1300")
        driver.find_element(By.XPATH, "//button[normalize-space()='Thêm loại hàng']").click()
        WebDriverWait(driver, 10).until(lambda d: "Đã thêm loại hàng." in d.page_source)
        assert "Hũ 1 kg · 150.000" in driver.page_source
        shoot(driver, "product")

        # How the shop is paid: a bank account, the holder's name typed as people write it.
        driver.get(shop_url + "/chi-tra")
        driver.find_element(By.XPATH, "//summary[normalize-space()='Đổi cách nhận tiền']").click()
        driver.find_element(By.CSS_SELECTOR, "input[name=cach][value=bank_transfer]").click()
        Select(driver.find_element(By.ID, "ngan-hang")).select_by_value("970436")
        account = driver.find_element(By.ID, "so-tai-khoan")
        account.clear()
        account.send_keys("0071 0012 34567")
        holder = driver.find_element(By.ID, "chu-tai-khoan")
        holder.clear()
        holder.send_keys("Nguyễn Thị Hoà")
        shoot(driver, "payout")
        driver.find_element(By.XPATH, "//button[normalize-space()='Lưu cách nhận tiền']").click()
        WebDriverWait(driver, 10).until(lambda d: "Đã đổi cách nhận tiền" in d.page_source)
        assert "007100123456" in driver.page_source and "NGUYEN THI HOA" in driver.page_source

        # The package: accept, mark ready, print the label.
        driver.get(shop_url)
        driver.find_element(By.XPATH, "//button[normalize-space()='Xác nhận, sẽ chuẩn bị hàng']").click()
        WebDriverWait(driver, 10).until(lambda d: "Đã xác nhận." in d.page_source)
        # Weighed and measured when packed: a 40 × 30 × 20 cm box weighs 4 kg by volume.
        driver.find_element(By.XPATH, "//summary[contains(., 'Cân, đo kiện')]").click()
        driver.find_element(By.CSS_SELECTOR, "input[name=khoi-luong]").send_keys("1200")
        driver.find_element(By.CSS_SELECTOR, "input[name=dai]").send_keys("40")
        driver.find_element(By.CSS_SELECTOR, "input[name=rong]").send_keys("30")
        driver.find_element(By.CSS_SELECTOR, "input[name=cao]").send_keys("20")
        shoot(driver, "package-ready")
        driver.find_element(By.XPATH, "//button[normalize-space()='Đã đóng gói xong']").click()
        WebDriverWait(driver, 10).until(lambda d: "Đã báo sẵn sàng" in d.page_source)
        assert "tính cước 4 kg" in driver.page_source and "bạn trả thêm" in driver.page_source, driver.page_source[-2000:]
        shoot(driver, "packages-ready")
        label = driver.find_element(By.LINK_TEXT, "In nhãn").get_attribute("href")
        driver.get(label)
        assert "Lê Văn Bình" in driver.page_source and "<svg" in driver.page_source
        assert "Thu hộ (COD)" in driver.page_source
        assert "40 × 30 × 20 cm" in driver.page_source and "1,2 kg" in driver.page_source
        driver.set_window_size(420, 800)
        driver.save_screenshot(f"{SHOTS}/label.png")

        # Another producer: the first one's shop, product and label are not found.
        email = f"ho-{uuid.uuid4().hex[:6]}@example.vn"
        # Set up by an admin: signing up by the emailed code is the shop test's.
        api("POST", "/v1/users", {"email": email, "password": "correct-horse-battery",
                                          "display_name": "Trần Văn Lộc", "phone": "0905123123",
                                 "roles": [{"role": "buyer"}]}, token=token("admin@demo.chobuudien.vn"))
        other = api("POST", "/v1/auth/login", {"email": email, "password": "correct-horse-battery"})["token"]
        applied = api("POST", "/v1/suppliers", {
            "name": "Hộ Trần Văn Lộc, bánh tráng", "kind": "household", "phone": "0905123123",
            "pickup_address": {"province_code": "48", "commune_code": "20410", "address_line": "3 Lý Thường Kiệt"},
            "payout": {"method": "counter_cash"},
        }, token=other)
        api("POST", f"/v1/suppliers/{applied['id']}/approve", token=token("clerk@demo.chobuudien.vn"))
        sign_in(driver, email, "correct-horse-battery")
        for url in (shop_url, product_url, label):
            driver.get(url)
            assert "Không tìm thấy" in driver.page_source, url
        shoot(driver, "not-found")
    finally:
        driver.quit()
    print("seller pages in Chromium: photo without EXIF, review, accept, ready, label, another producer's not-found: passed")


if __name__ == "__main__":
    sys.exit(main())
