/// Names the demo generator draws from: people, villages and streets, the province's post offices
/// and the former communes its post-office points are still named after.
enum CatalogDemoData {
    static let familyNames = [
        "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Huỳnh", "Huỳnh", "Hoàng", "Phan", "Võ",
        "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đoàn", "Trương", "Mai", "Lương", "Đinh", "Tôn", "Châu",
    ]
    /// Cơ Tu family names, for producers in the western highlands.
    static let highlandFamilyNames = ["Alăng", "Bríu", "Zơrâm", "Pơloong", "Cơlâu", "Bhling", "Hồ", "A Rất", "Clâu"]
    static let maleMiddleNames = ["Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Ngọc"]
    static let femaleMiddleNames = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Kim", "Mỹ", "Thanh"]
    static let maleGivenNames = [
        "Sáu", "Hải", "Tùng", "Dũng", "Hùng", "Phúc", "Lộc", "Tài", "Bình", "An", "Cường", "Thắng", "Nam", "Sơn",
        "Tâm", "Trung", "Hoà", "Khánh", "Long", "Quang", "Tư", "Ba", "Hiếu", "Vinh", "Thành", "Toàn",
    ]
    static let femaleGivenNames = [
        "Hoa", "Lan", "Mai", "Hương", "Thảo", "Nga", "Hạnh", "Liên", "Vân", "Yến", "Trang", "Hằng", "Nhung", "Phượng",
        "Thu", "Xuân", "Diệu", "Ánh", "Sương", "Lài", "Cúc", "Loan",
    ]

    /// Village (thôn) names common in the province, used for rural pickup addresses and cooperatives.
    static let villages = [
        "Trà Nhiêu", "Phú Chiêm", "Thanh Hà", "Trà Quế", "Kim Bồng", "Bảo An", "Thi Lai", "Châu Lâm", "Tứ Câu",
        "Giao Thuỷ", "Đại Bình", "Tân Mỹ", "Hà Quảng", "Phước Trạch", "Xuân Mỹ", "Lâm Tây", "Hội Khách", "An Hà",
        "Phú Mỹ", "Trung An", "Mỹ Hoà", "Tân Phước", "Đông Bình", "Bình An", "Phước Lộc", "Thạch Bích", "Chiêm Sơn",
        "Đồng Tràm", "Mỹ Sơn", "Trà Kiệu", "La Tháp", "Hương Quế", "Phú Thạnh", "Lộc Yên", "Tú Nghĩa", "Kỳ Lam",
        "Túy Loan", "Phong Lệ", "Nam Ô", "Xuân Thiều", "Cẩm Nam", "Bến Dầu", "An Phước", "Tây Yên",
    ]
    static let streets = [
        "Trần Phú", "Phan Châu Trinh", "Hùng Vương", "Lê Lợi", "Nguyễn Tất Thành", "Bạch Đằng", "Hai Bà Trưng",
        "Quang Trung", "Nguyễn Huệ", "Lê Duẩn", "Điện Biên Phủ", "Ngô Quyền", "Tôn Đức Thắng", "Nguyễn Văn Linh",
        "Trần Hưng Đạo", "Hoàng Diệu", "Phan Bội Châu", "Lý Thường Kiệt", "Huỳnh Thúc Kháng", "Nguyễn Duy Hiệu",
    ]
    /// Places enterprises are named after ("Công ty TNHH Sâm Ngọc Linh Quảng Nam").
    static let brandPlaces = ["Quảng Nam", "Đà Nẵng", "Xứ Quảng", "Miền Trung", "Hội An", "Sông Hàn", "Thu Bồn"]

    /// Mobile prefixes of the three big networks, for contact phones.
    static let mobilePrefixes = [
        "090", "093", "089", "070", "079", "077", "076", "078", "091", "094", "088", "096", "097", "098", "086", "032",
        "033", "034", "035", "036", "037", "038", "039", "081", "082", "083", "084", "085",
    ]

    /// The province's post offices: one per few communes, each at the centroid of its commune.
    /// DN-HOIAN is the post office the demo accounts belong to.
    static let postOffices: [(code: String, name: String, commune: String)] = [
        ("DN-HOIAN", "Bưu cục Hội An (demo)", "20410"),
        ("DN-HAICHAU", "Bưu cục Hải Châu", "20242"),
        ("DN-THANHKHE", "Bưu cục Thanh Khê", "20209"),
        ("DN-LIENCHIEU", "Bưu cục Liên Chiểu", "20197"),
        ("DN-SONTRA", "Bưu cục Sơn Trà", "20263"),
        ("DN-NGUHANHSON", "Bưu cục Ngũ Hành Sơn", "20285"),
        ("DN-CAMLE", "Bưu cục Cẩm Lệ", "20260"),
        ("DN-HOAVANG", "Bưu cục Hoà Vang", "20320"),
        ("DN-DIENBAN", "Bưu cục Điện Bàn", "20551"),
        ("DN-DAILOC", "Bưu cục Đại Lộc", "20500"),
        ("DN-DUYXUYEN", "Bưu cục Duy Xuyên", "20623"),
        ("DN-QUESON", "Bưu cục Quế Sơn", "20641"),
        ("DN-NONGSON", "Bưu cục Nông Sơn", "20656"),
        ("DN-THANGBINH", "Bưu cục Thăng Bình", "20791"),
        ("DN-TAMKY", "Bưu cục Tam Kỳ", "20341"),
        ("DN-PHUNINH", "Bưu cục Phú Ninh", "20392"),
        ("DN-NUITHANH", "Bưu cục Núi Thành", "20965"),
        ("DN-TIENPHUOC", "Bưu cục Tiên Phước", "20854"),
        ("DN-HIEPDUC", "Bưu cục Hiệp Đức", "20779"),
        ("DN-TRAMY", "Bưu cục Trà My", "20900"),
        ("DN-NAMTRAMY", "Bưu cục Nam Trà My", "20944"),
        ("DN-KHAMDUC", "Bưu cục Khâm Đức", "20722"),
        ("DN-THANHMY", "Bưu cục Thạnh Mỹ", "20695"),
        ("DN-DONGGIANG", "Bưu cục Đông Giang", "20467"),
        ("DN-TAYGIANG", "Bưu cục Tây Giang", "20455"),
        ("DN-THUONGDUC", "Bưu cục Thượng Đức", "20506"),
    ]

    /// Communes served by a post office other than the nearest one: the Hoàng Sa special zone is
    /// administered from the city, and its mail goes through Sơn Trà.
    static let servedByOverride = ["20333": "DN-SONTRA"]

    /// Former communes (merged on 1 July 2025) that village post-office points are still named after,
    /// grouped by the current communes they now lie in.
    static let formerCommunes: [(names: [String], communes: [String])] = [
        (["Cẩm Thanh", "Cẩm Kim", "Cẩm Hà", "Cẩm Châu", "Cẩm An", "Cẩm Nam"], ["20401", "20410", "20413", "20434"]),
        (
            [
                "Hoà Bắc", "Hoà Liên", "Hoà Ninh", "Hoà Sơn", "Hoà Nhơn", "Hoà Phú", "Hoà Phong", "Hoà Khương",
                "Hoà Châu",
                "Hoà Phước",
            ],
            ["20308", "20320", "20332", "20194", "20200", "20314", "20260"]
        ),
        (
            [
                "Điện Phương", "Điện Minh", "Điện Hồng", "Điện Thọ", "Điện Phước", "Điện Quang", "Điện Trung",
                "Điện Phong", "Điện Hoà", "Điện Thắng Bắc", "Điện Thắng Trung", "Điện Tiến",
            ],
            ["20551", "20557", "20569", "20575", "20579", "20587"]
        ),
        (
            [
                "Duy Sơn", "Duy Trung", "Duy Châu", "Duy Phú", "Duy Thu", "Duy Tân", "Duy Hoà", "Duy Thành", "Duy Hải",
                "Duy Vinh", "Duy Phước", "Duy Trinh",
            ],
            ["20611", "20623", "20635", "20650", "20599"]
        ),
        (
            [
                "Bình Minh", "Bình Dương", "Bình Đào", "Bình Giang", "Bình Triều", "Bình Sa", "Bình Hải", "Bình Nam",
                "Bình Tú", "Bình Trị", "Bình Lãnh", "Bình Phú", "Bình Quý", "Bình Chánh", "Bình Phục", "Bình Quế",
            ],
            ["20791", "20794", "20818", "20827", "20836", "20848"]
        ),
        (
            [
                "Đại Hưng", "Đại Lãnh", "Đại Sơn", "Đại Đồng", "Đại Quang", "Đại Hồng", "Đại Phong", "Đại Minh",
                "Đại Thắng", "Đại Tân", "Đại Chánh", "Đại Thạnh", "Đại Cường", "Đại Hiệp", "Đại An", "Đại Hoà",
                "Đại Nghĩa",
            ],
            ["20500", "20506", "20515", "20539", "20542"]
        ),
        (
            [
                "Quế Xuân 1", "Quế Xuân 2", "Quế Phú", "Quế Thuận", "Quế Châu", "Quế Minh", "Quế An", "Quế Long",
                "Quế Phong", "Quế Hiệp", "Quế Lộc", "Quế Trung", "Quế Ninh", "Quế Lâm", "Phước Ninh", "Sơn Viên",
            ],
            ["20641", "20656", "20662", "20669"]
        ),
        (
            [
                "Tiên Cẩm", "Tiên Sơn", "Tiên Hà", "Tiên Châu", "Tiên Lãnh", "Tiên Ngọc", "Tiên Hiệp", "Tiên Cảnh",
                "Tiên Mỹ", "Tiên Phong", "Tiên Lập", "Tiên An", "Tiên Lộc", "Tiên Thọ",
            ],
            ["20854", "20857", "20875", "20878"]
        ),
        (
            [
                "Trà Sơn", "Trà Giang", "Trà Đông", "Trà Bui", "Trà Ka", "Trà Giác", "Trà Nú", "Trà Kót", "Trà Dơn",
                "Trà Nam", "Trà Cang", "Trà Mai", "Trà Don",
            ],
            DemoTrades.traMy
        ),
        (
            [
                "Tam Thanh", "Tam Phú", "Tam Thăng", "Tam Ngọc", "Tam Dân", "Tam Đàn", "Tam Thái", "Tam Lãnh",
                "Tam Vinh",
                "Tam Phước", "Tam Lộc", "Tam An", "Tam Thành", "Tam Tiến", "Tam Hoà", "Tam Hiệp", "Tam Nghĩa",
                "Tam Quang", "Tam Giang", "Tam Sơn", "Tam Thạnh", "Tam Trà", "Tam Mỹ Đông", "Tam Mỹ Tây", "Tam Anh Bắc",
                "Tam Anh Nam",
            ],
            [
                "20335", "20341", "20350", "20356", "20364", "20380", "20392", "20965", "20971", "20977", "20984",
                "20992", "21004",
            ]
        ),
        (
            [
                "Quế Thọ", "Bình Lâm", "Sông Trà", "Phước Gia", "Hiệp Hoà", "Hiệp Thuận", "Thăng Phước", "Bình Sơn",
                "Quế Lưu",
            ],
            ["20767", "20770", "20779"]
        ),
        (
            [
                "Lăng", "A Tiêng", "Bha Lê", "Dang", "A Nông", "Ch'ơm", "Ga Ri", "Axan", "Jơ Ngây", "Tư", "Ba",
                "Ma Cooih",
                "Ka Dăng", "Zuôih", "Chà Vàl", "Đắc Tôi", "Tà Bhinh", "Cà Dy", "Tà Pơơ", "Phước Đức", "Phước Mỹ",
                "Phước Công", "Phước Kim", "Phước Xuân", "Phước Hoà", "Phước Lộc",
            ],
            DemoTrades.highlands
        ),
    ]
}
