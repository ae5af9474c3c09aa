/// The goods of the demo province: the regional specialities of Đà Nẵng and the former Quảng Nam,
/// and the everyday OCOP lines (fish sauce, rice paper, honey, tea, …). Prices are typical retail
/// prices in đồng; the generator varies them a little per producer.
enum DemoTrades {
    typealias Pack = ProductLine.Pack

    // Where trades cluster (commune codes of province 48).
    static let hoiAn = ["20401", "20410", "20413"]
    static let coast = ["20197", "20194", "20263", "20275", "20635", "20794", "20836", "20965", "20984", "20992"]
    static let traMy = ["20900", "20908", "20920", "20923", "20929", "20938", "20941", "20944", "20950", "20959"]
    static let ngocLinh = ["20944", "20950", "20941", "20959", "20938"]
    static let highlands = [
        "20443", "20455", "20458", "20467", "20476", "20485", "20494", "20698", "20704", "20707", "20710", "20716",
        "20695", "20722", "20728", "20734", "20740", "20752",
    ]
    static let lowlands = [
        "20308", "20320", "20332", "20500", "20506", "20515", "20539", "20542", "20551", "20557", "20569", "20587",
        "20611", "20623", "20641", "20650", "20656", "20662", "20669", "20767", "20770", "20779", "20791", "20818",
        "20827", "20848", "20854", "20857", "20875", "20878", "20364", "20380", "20392", "20971", "20977", "21004",
    ]
    static let towns = [
        "20209", "20242", "20257", "20260", "20285", "20305", "20314", "20200", "20341", "20350", "20356", "20335",
        "20551", "20575", "20579",
    ]

    // MARK: Regional specialities

    static let sam = Trade(
        label: "Sâm Ngọc Linh",
        lines: [
            ProductLine(
                sku: "SNL", noun: "Sâm Ngọc Linh", category: "herbal-medicine",
                qualifiers: ["củ tươi 5 năm tuổi", "củ tươi 7 năm tuổi", "lát sấy khô", "cây giống"],
                places: ["Nam Trà My", "Trà Linh", "núi Ngọc Linh"],
                packs: [Pack("Hộp 10g", "10G", 60, 1_200_000), Pack("Hộp 50g", "50G", 150, 5_500_000)],
                blurbs: [
                    "Sâm trồng dưới tán rừng nguyên sinh ở độ cao trên 1.800 m, có giấy chứng nhận nguồn gốc.",
                    "Củ được tuyển chọn, rửa sạch và hút chân không, giữ nguyên rễ và thân rễ.",
                ], specialty: true),
            ProductLine(
                sku: "RS", noun: "Rượu sâm Ngọc Linh", category: "spirits",
                qualifiers: ["ngâm củ", "ngâm lá và củ", "29 độ", "bình thủy tinh"], places: ["Nam Trà My"],
                packs: [Pack("Bình 500ml", "500", 1_200, 950_000), Pack("Bình 1 lít", "1L", 2_100, 1_500_000)],
                blurbs: ["Rượu nếp nấu thủ công ngâm sâm Ngọc Linh từ 6 tháng trở lên, vị ngọt hậu, thơm nhẹ."],
                specialty: true),
            ProductLine(
                sku: "TS", noun: "Trà sâm Ngọc Linh", category: "functional-food",
                qualifiers: ["túi lọc", "lá sâm sấy", "hoà tan"], places: ["Nam Trà My"],
                packs: [Pack("Hộp 20 túi", "20T", 120, 180_000), Pack("Hộp 50 túi", "50T", 260, 390_000)],
                blurbs: ["Lá và thân sâm Ngọc Linh sấy lạnh, pha nước sôi 3–5 phút."], specialty: true),
            ProductLine(
                sku: "CS", noun: "Cao sâm Ngọc Linh", category: "functional-food",
                qualifiers: ["nguyên chất", "mật ong", "dạng viên"], places: ["Nam Trà My"],
                packs: [Pack("Lọ 50g", "50G", 180, 1_350_000), Pack("Lọ 100g", "100G", 300, 2_500_000)],
                blurbs: ["Cao cô đặc từ củ và rễ sâm, dùng pha với nước ấm hoặc mật ong."], specialty: true),
        ],
        communes: ngocLinh, specialty: true)

    static let que = Trade(
        label: "Quế Trà My",
        lines: [
            ProductLine(
                sku: "QTM", noun: "Quế", category: "seasonings",
                qualifiers: ["thanh cạo vỏ", "vỏ cuộn", "bột nguyên chất", "ống điếu"], places: ["Trà My"],
                packs: [Pack("Túi 100g", "100", 120, 45_000), Pack("Túi 500g", "500", 520, 180_000)],
                blurbs: ["Quế trồng trên đồi Trà My, bóc vỏ lúc cây 15–20 năm tuổi, giàu tinh dầu, cay thơm."],
                specialty: true),
            ProductLine(
                sku: "TDQ", noun: "Tinh dầu quế", category: "herbal-cosmetics",
                qualifiers: ["nguyên chất", "xông phòng", "chưng cất"], places: ["Trà My"],
                packs: [Pack("Chai 10ml", "10", 60, 65_000), Pack("Chai 50ml", "50", 140, 250_000)],
                blurbs: ["Chưng cất hơi nước từ vỏ và lá quế Trà My, dùng xông phòng, đuổi muỗi."],
                specialty: true),
            ProductLine(
                sku: "TQ", noun: "Trà quế", category: "herbal-medicine",
                qualifiers: ["mật ong", "gừng", "túi lọc"], places: ["Trà My"],
                packs: [Pack("Hộp 20 túi", "20T", 110, 75_000)],
                blurbs: ["Vỏ quế thái nhỏ phối gừng, giữ ấm cơ thể những ngày mưa lạnh."], specialty: true),
        ],
        communes: traMy, specialty: true)

    static let gomThanhHa = Trade(
        label: "Gốm Thanh Hà",
        lines: [
            ProductLine(
                sku: "GTH", noun: "", category: "pottery",
                qualifiers: [
                    "Bình hoa gốm Thanh Hà", "Bộ ấm chén gốm Thanh Hà", "Tượng 12 con giáp gốm Thanh Hà",
                    "Chậu gốm Thanh Hà", "Còi gốm Thanh Hà nặn tay",
                ],
                places: [],
                packs: [Pack("Cỡ nhỏ", "S", 600, 85_000), Pack("Cỡ vừa", "M", 1_500, 220_000)],
                blurbs: ["Nặn tay trên bàn xoay và nung củi ở làng gốm Thanh Hà, nghề hơn 500 năm tuổi."],
                specialty: true),
            ProductLine(
                sku: "TLG", noun: "Trải nghiệm làm gốm", category: "community-tourism",
                qualifiers: ["nửa ngày", "cho gia đình", "có hướng dẫn viên"], places: ["làng gốm Thanh Hà"],
                packs: [Pack("Vé người lớn", "NL", 10, 150_000), Pack("Vé trẻ em", "TE", 10, 90_000)],
                blurbs: ["Tự tay nặn và mang về sản phẩm gốm, đã gồm vé tham quan làng nghề."], specialty: true),
        ],
        communes: ["20401"], specialty: true)

    static let thoCam = Trade(
        label: "Dệt thổ cẩm",
        lines: [
            ProductLine(
                sku: "TC", noun: "", category: "textiles",
                qualifiers: [
                    "Khăn choàng thổ cẩm Cơ Tu", "Túi xách thổ cẩm Cơ Tu", "Ví thổ cẩm", "Tấm trải bàn thổ cẩm",
                    "Váy thổ cẩm dệt tay",
                ],
                places: ["Tây Giang", "Đông Giang", "Zara"],
                packs: [Pack("Cỡ tiêu chuẩn", "STD", 300, 250_000), Pack("Cỡ lớn", "L", 600, 520_000)],
                blurbs: ["Dệt tay bằng khung dệt truyền thống của đồng bào Cơ Tu, kết hạt cườm hoa văn núi rừng."],
                specialty: true),
            ProductLine(
                sku: "HS", noun: "Homestay bản Cơ Tu", category: "community-tourism",
                qualifiers: ["1 đêm", "2 ngày 1 đêm", "kèm bữa tối"], places: ["Tây Giang", "Đông Giang"],
                packs: [Pack("Khách/đêm", "DEM", 10, 350_000)],
                blurbs: ["Ngủ nhà sàn, xem múa tân tung da dá và thưởng thức cơm lam, rượu tà vạt."],
                specialty: true),
        ],
        communes: ["20455", "20443", "20458", "20467", "20476"], specialty: true)

    static let namO = Trade(
        label: "Nước mắm Nam Ô",
        lines: [
            ProductLine(
                sku: "NMNO", noun: "Nước mắm Nam Ô", category: "seasonings",
                qualifiers: ["cá cơm than", "nhĩ 40 độ đạm", "truyền thống 30 độ đạm", "ủ chượp 12 tháng"],
                places: [],
                packs: [Pack("Chai 500ml", "500", 750, 120_000), Pack("Chai 1 lít", "1L", 1_400, 220_000)],
                blurbs: ["Cá cơm than tươi ủ với muối Sa Huỳnh trong thùng gỗ, làng nghề Nam Ô hơn 300 năm."],
                specialty: true)
        ],
        communes: ["20197", "20194"], specialty: true)

    static let hoiAnCraft = Trade(
        label: "Đèn lồng Hội An",
        lines: [
            ProductLine(
                sku: "DL", noun: "Đèn lồng Hội An", category: "bamboo-rattan",
                qualifiers: ["lụa tơ tằm", "khung tre gấp gọn", "vải gấm", "hình trái bí"], places: [],
                packs: [Pack("Đường kính 25cm", "25", 400, 120_000), Pack("Đường kính 40cm", "40", 900, 260_000)],
                blurbs: ["Khung tre uốn tay, bọc lụa, xếp gọn được để gửi bưu điện."], specialty: true),
            ProductLine(
                sku: "KB", noun: "", category: "woodwork",
                qualifiers: [
                    "Tượng gỗ Kim Bồng", "Hộp trang sức gỗ Kim Bồng", "Mô hình thuyền gỗ Kim Bồng", "Tranh gỗ Kim Bồng",
                ], places: [],
                packs: [Pack("Cỡ nhỏ", "S", 500, 280_000), Pack("Cỡ vừa", "M", 1_600, 750_000)],
                blurbs: ["Chạm khắc tay bởi thợ làng mộc Kim Bồng, gỗ mít và gỗ hương đã xử lý mối mọt."],
                specialty: true),
            ProductLine(
                sku: "RTQ", noun: "", category: "fresh-produce",
                qualifiers: ["Rau thơm Trà Quế", "Húng quế Trà Quế", "Tía tô Trà Quế", "Rau mùi Trà Quế"], places: [],
                packs: [Pack("Bó 500g", "500", 550, 40_000)],
                blurbs: ["Trồng bằng rong vó ở làng rau Trà Quế, giao trong ngày quanh Hội An và Đà Nẵng."],
                specialty: true),
        ],
        communes: hoiAn, specialty: true)

    static let maChau = Trade(
        label: "Lụa Mã Châu",
        lines: [
            ProductLine(
                sku: "LMC", noun: "", category: "textiles",
                qualifiers: [
                    "Khăn lụa Mã Châu", "Vải lụa Mã Châu may áo dài", "Cà vạt lụa Mã Châu", "Khăn tay lụa thêu",
                ],
                places: [],
                packs: [Pack("Cỡ tiêu chuẩn", "STD", 150, 320_000), Pack("Súc 2m", "2M", 250, 900_000)],
                blurbs: ["Tơ tằm dệt trên khung máy làng lụa Mã Châu, mềm, mát và bền màu."], specialty: true)
        ],
        communes: ["20599", "20623"], specialty: true)

    static let buoiDaiBinh = Trade(
        label: "Nông sản Nông Sơn",
        lines: [
            ProductLine(
                sku: "BDB", noun: "Bưởi Đại Bình", category: "fresh-produce",
                qualifiers: ["da xanh", "loại 1", "quà biếu"], places: [],
                packs: [Pack("Thùng 5kg", "5KG", 5_200, 260_000), Pack("Quả 1,2–1,5kg", "1Q", 1_500, 75_000)],
                blurbs: ["Bưởi trồng ven sông Thu Bồn ở làng Đại Bình, múi ráo, ngọt thanh."], specialty: true),
            ProductLine(
                sku: "BTTL", noun: "Bánh tráng Túy Loan", category: "processed-food",
                qualifiers: ["nướng mè đen", "cuốn ướt", "nướng dừa"], places: [],
                packs: [Pack("Xấp 10 cái", "10C", 500, 50_000)],
                blurbs: ["Bột gạo xay cối đá, phơi nắng, nướng than giòn rụm."], specialty: true),
            ProductLine(
                sku: "MQPC", noun: "Mì Quảng Phú Chiêm", category: "processed-food",
                qualifiers: ["sợi khô", "sợi nghệ", "kèm gói nước nhưn"], places: [],
                packs: [Pack("Gói 500g", "500", 520, 45_000), Pack("Thùng 10 gói", "10G", 5_300, 420_000)],
                blurbs: ["Sợi mì tráng tay ở làng Phú Chiêm, Điện Bàn, phơi khô để gửi xa."], specialty: true),
        ],
        communes: ["20656", "20320", "20579"], specialty: true)

    static let regional: [Trade] = [sam, que, gomThanhHa, thoCam, namO, hoiAnCraft, maChau, buoiDaiBinh]

    // MARK: Everyday lines

    static let nuocMam = ProductLine(
        sku: "NM", noun: "Nước mắm", category: "seasonings",
        qualifiers: ["cá cơm nhĩ", "truyền thống 35 độ đạm", "cá cơm 40 độ đạm", "ủ chượp thùng gỗ", "nhĩ cốt"],
        places: ["Cửa Đại", "Tam Thanh", "Bình Minh", "Hội An"],
        packs: [
            Pack("Chai 250ml", "250", 420, 45_000), Pack("Chai 500ml", "500", 750, 85_000),
            Pack("Can 2 lít", "2L", 2_600, 280_000),
        ],
        blurbs: [
            "Cá cơm đánh bắt gần bờ, ủ chượp với muối biển từ 12 đến 18 tháng, không chất bảo quản.",
            "Màu cánh gián, thơm dịu, đạm cao, hợp chấm luộc và nêm món kho.",
        ])
    static let mamRuoc = ProductLine(
        sku: "MR", noun: "Mắm", category: "seasonings",
        qualifiers: ["ruốc", "nêm pha sẵn", "cá cơm sống", "tôm chua"], places: [],
        packs: [Pack("Hũ 250g", "250", 320, 35_000), Pack("Hũ 500g", "500", 620, 60_000)],
        blurbs: ["Làm theo cách của các làng chài ven biển, muối vừa, để được lâu ở nhiệt độ phòng."])
    static let caKho = ProductLine(
        sku: "CK", noun: "Cá cơm khô", category: "dried-produce",
        qualifiers: ["một nắng", "rim me", "tẩm gia vị", "sấy giòn"], places: [],
        packs: [Pack("Túi 200g", "200", 220, 65_000), Pack("Túi 500g", "500", 520, 150_000)],
        blurbs: ["Cá tươi trong ngày, phơi giàn lưới cao ráo, đóng túi zip."])
    static let muc = ProductLine(
        sku: "MK", noun: "Mực", category: "dried-produce",
        qualifiers: ["một nắng", "khô loại 1", "rim me"], places: [],
        packs: [Pack("Túi 500g", "500", 520, 380_000), Pack("Túi 1kg", "1KG", 1_050, 720_000)],
        blurbs: ["Mực câu đêm, làm sạch và phơi một nắng, cấp đông trước khi gửi."])
    static let banhTrang = ProductLine(
        sku: "BT", noun: "Bánh tráng", category: "processed-food",
        qualifiers: ["nướng mè", "phơi sương", "dẻo cuốn", "mè đen nướng than"],
        places: ["Đại Lộc", "Điện Bàn", "Quế Sơn"],
        packs: [Pack("Xấp 10 cái", "10C", 450, 40_000), Pack("Gói 1kg", "1KG", 1_050, 85_000)],
        blurbs: ["Gạo mới xay, tráng tay trên nồi hơi và phơi nắng tự nhiên."])
    static let miQuang = ProductLine(
        sku: "MQ", noun: "Mì Quảng", category: "processed-food",
        qualifiers: ["sợi khô", "gạo lứt", "sợi nghệ", "kèm nước nhưn tôm thịt"], places: [],
        packs: [Pack("Gói 500g", "500", 520, 35_000), Pack("Thùng 10 gói", "10G", 5_300, 330_000)],
        blurbs: ["Sợi mì dày, dai, nấu 3 phút là dùng được."])
    static let gao = ProductLine(
        sku: "GAO", noun: "Gạo", category: "dried-produce",
        qualifiers: ["hữu cơ", "lứt đỏ", "nếp cái hoa vàng", "thơm ST25 trồng sạch"],
        places: ["Điện Bàn", "Thăng Bình", "Duy Xuyên"],
        packs: [Pack("Túi 2kg", "2KG", 2_050, 70_000), Pack("Túi 5kg", "5KG", 5_100, 165_000)],
        blurbs: ["Lúa trồng theo quy trình VietGAP, xay xát trong tuần trước khi giao."])
    static let rau = ProductLine(
        sku: "RAU", noun: "Rau", category: "fresh-produce",
        qualifiers: ["hữu cơ theo mùa", "củ quả sạch", "cải ngọt", "muống"], places: [],
        packs: [Pack("Giỏ 2kg", "2KG", 2_100, 90_000)],
        blurbs: ["Thu hoạch buổi sáng, giao trong ngày trong khu vực nội thành."])
    static let traiCay = ProductLine(
        sku: "TCY", noun: "Chuối", category: "fresh-produce",
        qualifiers: ["mốc", "laba", "sấy dẻo", "chín cây"], places: [],
        packs: [Pack("Nải 2kg", "2KG", 2_100, 55_000)],
        blurbs: ["Trồng không phân bón hoá học, ủ chín tự nhiên."])
    static let tieu = ProductLine(
        sku: "TIEU", noun: "Tiêu", category: "seasonings",
        qualifiers: ["đen hạt", "sọ trắng", "xanh ngâm muối"], places: ["Tiên Phước", "Quế Sơn"],
        packs: [Pack("Túi 200g", "200", 220, 55_000), Pack("Túi 500g", "500", 520, 125_000)],
        blurbs: ["Hạt chắc, cay nồng, phơi khô và sàng sạch tạp chất."])
    static let dauPhong = ProductLine(
        sku: "DP", noun: "Đậu phộng", category: "dried-produce",
        qualifiers: ["rang muối", "tươi bóc vỏ", "rang tỏi ớt"], places: [],
        packs: [Pack("Túi 500g", "500", 520, 60_000), Pack("Túi 1kg", "1KG", 1_050, 110_000)],
        blurbs: ["Đậu trồng trên đất cát ven sông, hạt nhỏ, béo."])
    static let matOng = ProductLine(
        sku: "MO", noun: "Mật ong", category: "honey",
        qualifiers: ["rừng nguyên chất", "hoa cà phê", "hoa keo", "hoa nhãn", "ong khoái rừng"],
        places: ["Trà My", "Tiên Phước", "Nam Giang", "Hiệp Đức"],
        packs: [Pack("Chai 500ml", "500", 800, 180_000), Pack("Chai 1 lít", "1L", 1_550, 330_000)],
        blurbs: ["Mật quay từ tổ ong nuôi dưới tán rừng, không pha đường, độ ẩm dưới 20%."])
    static let phanHoa = ProductLine(
        sku: "PH", noun: "", category: "honey",
        qualifiers: ["Phấn hoa ong mật", "Sáp ong nguyên chất", "Sữa ong chúa"], places: [],
        packs: [Pack("Lọ 200g", "200", 300, 120_000)],
        blurbs: ["Thu từ trại ong của hợp tác xã, sấy lạnh để giữ dưỡng chất."])
    static let che = ProductLine(
        sku: "CHE", noun: "Chè", category: "tea",
        qualifiers: ["xanh", "búp sấy", "dây", "vằng"], places: ["Bắc Trà My", "Tiên Phước", "Đông Giang"],
        packs: [Pack("Túi 200g", "200", 220, 80_000), Pack("Túi 500g", "500", 520, 180_000)],
        blurbs: ["Búp chè hái tay, sao trên chảo gang, nước xanh, vị chát dịu."])
    static let traThaoMoc = ProductLine(
        sku: "TTM", noun: "Trà", category: "tea",
        qualifiers: ["thảo mộc", "gừng mật ong", "hoa cúc", "lá vối", "túi lọc hoa atiso"], places: [],
        packs: [Pack("Hộp 20 túi", "20T", 110, 55_000), Pack("Hộp 50 túi", "50T", 240, 120_000)],
        blurbs: ["Nguyên liệu trồng tại địa phương, sấy lạnh, không hương liệu."])
    static let caPhe = ProductLine(
        sku: "CF", noun: "Cà phê", category: "coffee-cocoa",
        qualifiers: ["rang xay mộc", "hạt Robusta", "hạt Arabica", "phin giấy"], places: ["Nam Giang", "Đông Giang"],
        packs: [Pack("Túi 250g", "250", 270, 85_000), Pack("Túi 500g", "500", 520, 160_000)],
        blurbs: ["Hạt chín đỏ hái tay, rang mộc không tẩm, xay theo yêu cầu."])
    static let caCao = ProductLine(
        sku: "CC", noun: "", category: "coffee-cocoa",
        qualifiers: ["Bột ca cao nguyên chất", "Sô cô la đen 70%", "Ngòi ca cao rang"], places: [],
        packs: [Pack("Túi 250g", "250", 270, 120_000), Pack("Thanh 100g", "100", 120, 65_000)],
        blurbs: ["Hạt ca cao lên men 6 ngày, sấy và rang tại xưởng của hợp tác xã."])
    static let ruou = ProductLine(
        sku: "RU", noun: "Rượu", category: "spirits",
        qualifiers: ["nếp than", "gạo nấu thủ công", "ba kích", "Hồng Đào", "tà vạt"], places: [],
        packs: [Pack("Chai 500ml", "500", 900, 95_000), Pack("Can 2 lít", "2L", 2_300, 320_000)],
        blurbs: ["Nấu bằng men lá truyền thống, chưng cất hai lần, hạ thổ trước khi đóng chai."])
    static let nuocUong = ProductLine(
        sku: "NU", noun: "", category: "soft-drinks",
        qualifiers: ["Nước ép chanh dây", "Nước sâm bí đao", "Nước mía lau", "Siro gừng", "Trà xanh đóng chai"],
        places: [],
        packs: [Pack("Thùng 12 chai", "12C", 4_200, 145_000), Pack("Chai 1 lít", "1L", 1_100, 45_000)],
        blurbs: ["Không chất bảo quản, giữ lạnh sau khi mở nắp."])
    static let chaBo = ProductLine(
        sku: "CB", noun: "", category: "processed-food",
        qualifiers: ["Chả bò", "Chả heo quế", "Chả cá thu", "Tré bó rơm", "Nem chua"], places: [],
        packs: [Pack("Cây 500g", "500", 550, 150_000), Pack("Cây 1kg", "1KG", 1_100, 290_000)],
        blurbs: ["Làm trong ngày, hút chân không và giao lạnh trong khu vực."])
    static let keo = ProductLine(
        sku: "KEO", noun: "", category: "processed-food",
        qualifiers: ["Kẹo gương", "Kẹo đậu phộng mạch nha", "Mứt gừng", "Mè xửng"], places: [],
        packs: [Pack("Hộp 300g", "300", 350, 45_000), Pack("Hộp quà 1kg", "1KG", 1_150, 140_000)],
        blurbs: ["Mạch nha nấu từ mầm lúa, làm tay theo công thức gia truyền."])
    static let tinhBotNghe = ProductLine(
        sku: "NGHE", noun: "Tinh bột nghệ", category: "functional-food",
        qualifiers: ["vàng nguyên chất", "đỏ", "viên mật ong"], places: [],
        packs: [Pack("Hũ 250g", "250", 320, 150_000), Pack("Hũ 500g", "500", 600, 280_000)],
        blurbs: ["Nghệ trồng trên đất đồi, lọc tinh bột nhiều lần, sấy lạnh."])
    static let duocLieu = ProductLine(
        sku: "DLI", noun: "", category: "herbal-medicine",
        qualifiers: ["Ba kích tím", "Đảng sâm", "Nấm linh chi đỏ", "Cà gai leo", "Hà thủ ô đỏ"],
        places: ["Nam Giang", "Tây Giang", "Phước Sơn"],
        packs: [Pack("Túi 500g", "500", 520, 250_000), Pack("Túi 1kg", "1KG", 1_050, 460_000)],
        blurbs: ["Thu hái vùng núi cao, phơi sấy và cắt lát, có hướng dẫn dùng."])
    static let tinhDau = ProductLine(
        sku: "TD", noun: "", category: "herbal-cosmetics",
        qualifiers: ["Tinh dầu tràm", "Tinh dầu sả chanh", "Tinh dầu bưởi dưỡng tóc", "Xà bông thảo mộc"], places: [],
        packs: [Pack("Chai 50ml", "50", 140, 85_000), Pack("Chai 100ml", "100", 230, 150_000)],
        blurbs: ["Chưng cất thủ công từ lá và vỏ trồng tại vườn, không pha hương liệu tổng hợp."])
    static let mayTre = ProductLine(
        sku: "MT", noun: "", category: "bamboo-rattan",
        qualifiers: ["Giỏ xách mây", "Khay tre đan", "Đèn tre trang trí", "Hộp tre đựng đồ", "Chiếu cói"], places: [],
        packs: [Pack("Cỡ nhỏ", "S", 300, 65_000), Pack("Cỡ lớn", "L", 800, 180_000)],
        blurbs: ["Đan tay từ tre, mây rừng đã ngâm và sấy chống mốc."])
    static let moc = ProductLine(
        sku: "GO", noun: "", category: "woodwork",
        qualifiers: ["Khay trà gỗ", "Thớt gỗ nghiến", "Hộp đũa gỗ", "Tượng gỗ trang trí"], places: [],
        packs: [Pack("Cỡ tiêu chuẩn", "STD", 900, 220_000)],
        blurbs: ["Gỗ tận dụng, sấy khô và đánh dầu tự nhiên, an toàn khi dùng đựng thức ăn."])
    static let gom = ProductLine(
        sku: "GOM", noun: "", category: "pottery",
        qualifiers: ["Bát đĩa men lam", "Bình gốm cắm hoa", "Ly sứ vẽ tay"], places: [],
        packs: [Pack("Bộ 6 món", "6M", 1_800, 280_000), Pack("Chiếc", "1C", 400, 60_000)],
        blurbs: ["Tạo dáng và vẽ tay, nung ở 1.200 °C, dùng được trong lò vi sóng."])
    static let hoa = ProductLine(
        sku: "HOA", noun: "Hoa", category: "flowers",
        qualifiers: ["lan rừng", "cúc mâm xôi", "hồng leo", "giấy nhiều màu"], places: [],
        packs: [Pack("Chậu nhỏ", "S", 1_500, 120_000), Pack("Chậu lớn", "L", 5_000, 350_000)],
        blurbs: ["Cây khoẻ, đã ra nụ, đóng thùng chống dập khi gửi."])
    static let cayCanh = ProductLine(
        sku: "CAY", noun: "Cây cảnh", category: "bonsai",
        qualifiers: ["mai vàng Yên Tử", "sung mini", "vạn niên tùng", "tùng la hán"], places: [],
        packs: [Pack("Chậu 20cm", "20", 3_000, 250_000), Pack("Chậu 40cm", "40", 12_000, 1_200_000)],
        blurbs: ["Uốn tạo dáng tại vườn, kèm hướng dẫn chăm sóc."])
    static let caCanh = ProductLine(
        sku: "CAC", noun: "Cá cảnh", category: "ornamental-animals",
        qualifiers: ["chép Koi", "vàng ba đuôi", "betta"], places: [],
        packs: [Pack("Cặp", "2C", 1_200, 150_000)],
        blurbs: ["Giao bằng túi bơm oxy trong ngày, chỉ nhận đơn nội tỉnh."])
    static let duLich = ProductLine(
        sku: "DLC", noun: "Tour du lịch cộng đồng", category: "community-tourism",
        qualifiers: ["trải nghiệm làm nông", "đạp xe làng quê", "ẩm thực làng", "câu cá cùng ngư dân"], places: [],
        packs: [Pack("Vé người lớn", "NL", 10, 350_000), Pack("Vé trẻ em", "TE", 10, 200_000)],
        blurbs: ["Đi cùng người dân địa phương, có bữa trưa và bảo hiểm du lịch."])
    static let sinhThai = ProductLine(
        sku: "DST", noun: "Tour sinh thái", category: "eco-tourism",
        qualifiers: ["rừng dừa nước", "thác và suối rừng", "đi thuyền thúng", "cắm trại đồi chè"],
        places: [],
        packs: [Pack("Vé người lớn", "NL", 10, 250_000), Pack("Vé trẻ em", "TE", 10, 150_000)],
        blurbs: ["Có hướng dẫn viên, áo phao và nước uống; không đi khi có cảnh báo mưa lớn."])
    static let nongSanKho = ProductLine(
        sku: "NSK", noun: "", category: "dried-produce",
        qualifiers: ["Măng le khô", "Nấm mèo rừng", "Hạt điều rang muối", "Miến dong", "Khoai lang sấy dẻo"],
        places: [],
        packs: [Pack("Túi 500g", "500", 520, 95_000), Pack("Túi 1kg", "1KG", 1_050, 180_000)],
        blurbs: ["Sơ chế và sấy khô tại cơ sở, đóng gói hút ẩm."])
    static let theu = ProductLine(
        sku: "THEU", noun: "Tranh thêu tay", category: "textiles",
        qualifiers: ["phố cổ", "hoa sen", "chân dung theo yêu cầu"], places: [],
        packs: [Pack("Khổ 30x40cm", "3040", 600, 650_000), Pack("Khổ 50x70cm", "5070", 1_200, 1_500_000)],
        blurbs: ["Thêu tay chỉ tơ, đóng khung gỗ, mất hai đến bốn tuần mỗi bức."])

    static let everyday: [Trade] = [
        Trade(label: "Nước mắm", lines: [nuocMam, mamRuoc, caKho, muc], communes: coast),
        Trade(label: "Hải sản", lines: [caKho, muc, mamRuoc], communes: coast),
        Trade(label: "Bánh tráng", lines: [banhTrang, miQuang, keo], communes: lowlands),
        Trade(label: "Nông nghiệp", lines: [gao, rau, traiCay, dauPhong, tieu, nongSanKho], communes: lowlands),
        Trade(label: "Nông sản", lines: [nongSanKho, dauPhong, tieu, caPhe], communes: highlands),
        Trade(label: "Mật ong", lines: [matOng, phanHoa], communes: highlands + traMy),
        Trade(label: "Chè", lines: [che, traThaoMoc], communes: traMy + highlands),
        Trade(label: "Cà phê", lines: [caPhe, caCao], communes: highlands),
        Trade(label: "Rượu", lines: [ruou, nuocUong], communes: lowlands + highlands),
        Trade(label: "Thực phẩm", lines: [chaBo, keo, miQuang, nuocUong], communes: towns + lowlands),
        Trade(label: "Dược liệu", lines: [duocLieu, tinhBotNghe, tinhDau, traThaoMoc], communes: highlands + traMy),
        Trade(label: "Mây tre đan", lines: [mayTre, moc], communes: lowlands),
        Trade(label: "Thủ công mỹ nghệ", lines: [moc, gom, theu, mayTre], communes: towns + hoiAn),
        Trade(label: "Sinh vật cảnh", lines: [hoa, cayCanh, caCanh], communes: towns + lowlands),
        Trade(label: "Du lịch cộng đồng", lines: [duLich, sinhThai], communes: hoiAn + lowlands + highlands),
    ]

    /// Every line, regional or not: the scale data draws from all of them.
    static let allLines: [ProductLine] = {
        var seen = Set<String>()
        return (regional + everyday).flatMap(\.lines).filter { seen.insert($0.sku).inserted }
    }()
}
