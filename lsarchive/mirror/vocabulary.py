"""Vietnamese word lists and sentence templates for the mirror's articles.

Everything here is data. `content.py` fills the `{slots}` of these templates
from a seeded random generator, so every article is readable local-government
news of Lạng Sơn city and the same (seed, index) always gives the same text.

Rules the templates follow so that the generated pages stay unambiguous for
an extractor (see the realworld README's conventions):

- no sentence starts with a credit label (Tin, Ảnh, Bài, Nguồn, Theo...),
  so an ordinary last paragraph never looks like a credit line;
- captions are short one-line descriptions, never used as body text;
- titles are never used as body paragraphs except as the deliberate
  "title repeated at the top of the body" variation.
"""

from __future__ import annotations

# --------------------------------------------------------------------------
# Places, people, bodies
# --------------------------------------------------------------------------

WARDS = (
    "phường Vĩnh Trại",
    "phường Chi Lăng",
    "phường Đông Kinh",
    "phường Hoàng Văn Thụ",
    "phường Tam Thanh",
    "xã Hoàng Đồng",
    "xã Mai Pha",
    "xã Quảng Lạc",
)
COMMUNES = ("xã Hoàng Đồng", "xã Mai Pha", "xã Quảng Lạc")
VILLAGES = (
    "thôn Nà Chuông", "thôn Kéo Tấu", "thôn Khòn Khuyên", "thôn Nà Pàn",
    "thôn Nà Cạn", "khối 4", "khối 7", "khối Tam Thanh", "thôn Quảng Tiến",
)
STREETS = (
    "Lê Lợi", "Trần Đăng Ninh", "Bà Triệu", "Hùng Vương", "Lê Đại Hành",
    "Ngô Quyền", "Tam Thanh", "Phai Vệ", "Nguyễn Du", "Bắc Sơn", "Lý Thái Tổ",
)
MARKETS = ("chợ Đông Kinh", "chợ Giếng Vuông", "chợ Kỳ Lừa", "chợ Chi Lăng")
GATES = (
    "cửa khẩu quốc tế Hữu Nghị",
    "cửa khẩu Tân Thanh",
    "ga đường sắt liên vận quốc tế Đồng Đăng",
    "cửa khẩu Cốc Nam",
    "cửa khẩu Chi Ma",
)
SCHOOLS = (
    "Trường Tiểu học Vĩnh Trại",
    "Trường Tiểu học Chi Lăng",
    "Trường Tiểu học Hoàng Văn Thụ",
    "Trường THCS Tam Thanh",
    "Trường THCS Đông Kinh",
    "Trường THCS Chu Văn An",
    "Trường Mầm non Hoa Phong Lan",
    "Trường Mầm non Tuổi Thơ",
    "Trường Mầm non Hoa Sen",
    "Trường Tiểu học và THCS Mai Pha",
)
PROJECTS = (
    "dự án Khu đô thị Nam Hoàng Đồng",
    "dự án cải tạo, chỉnh trang hồ Phai Loạn",
    "dự án đường Hùng Vương kéo dài",
    "dự án Khu đô thị Phú Lộc IV",
    "dự án kè bờ sông Kỳ Cùng",
    "dự án Trung tâm thương mại Đông Kinh",
    "dự án cải tạo nút giao Tam Thanh",
    "dự án mở rộng đường Bắc Sơn",
)
FESTIVALS = (
    "Lễ hội đền Kỳ Cùng",
    "Lễ hội đền Tả Phủ",
    "Lễ hội Kỳ Cùng - Tả Phủ",
    "Lễ hội Lồng tồng xã Mai Pha",
    "Lễ hội chùa Tam Thanh",
)
AGENCIES = (
    "Phòng Tài chính - Kế hoạch",
    "Phòng Quản lý đô thị",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Văn hóa và Thông tin",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Kinh tế",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Thanh tra thành phố",
    "Trung tâm Y tế thành phố",
    "Đội Quản lý trật tự đô thị",
    "Ban Quản lý dự án đầu tư xây dựng thành phố",
)
MASS_ORGANISATIONS = (
    "Ủy ban MTTQ Việt Nam thành phố",
    "Hội Liên hiệp Phụ nữ thành phố",
    "Thành đoàn Lạng Sơn",
    "Hội Cựu chiến binh thành phố",
    "Hội Nông dân thành phố",
    "Liên đoàn Lao động thành phố",
)
FIELDS = (
    "cải cách hành chính",
    "thi đua, khen thưởng",
    "phòng, chống tham nhũng",
    "quản lý trật tự đô thị",
    "thu ngân sách nhà nước",
    "chuyển đổi số",
    "bảo vệ môi trường",
    "giảm nghèo bền vững",
    "phòng cháy, chữa cháy",
    "dân số và phát triển",
    "bảo đảm an toàn thực phẩm",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
)

SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hà", "Vi", "Lương", "Nông",
    "Lăng", "Chu", "Triệu", "Lộc", "Đinh", "Vũ", "Đỗ", "Bế", "Mã", "Dương",
    "Lành", "Hứa", "Đoàn",
)
MALE_MIDDLE = ("Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Thanh", "Mạnh", "Tiến")
MALE_GIVEN = (
    "Hùng", "Dũng", "Tuấn", "Hải", "Long", "Sơn", "Thắng", "Cường", "Bình",
    "Hòa", "Quân", "Tùng", "Khánh", "Thành", "Trung", "Vinh", "Nam", "Lâm",
)
FEMALE_MIDDLE = ("Thị", "Thu", "Hồng", "Bích", "Kim", "Thanh", "Ngọc", "Minh")
FEMALE_GIVEN = (
    "Lan", "Hương", "Huệ", "Hạnh", "Nga", "Mai", "Phương", "Thủy", "Diệp",
    "Linh", "Trang", "Yến", "Hằng", "Loan", "Thảo", "Hiền",
)

# Positions of the officials quoted in articles, by kind of event.
POSITIONS = {
    "city": (
        "Bí thư Thành ủy",
        "Phó Bí thư Thường trực Thành ủy",
        "Phó Bí thư Thành ủy, Chủ tịch UBND thành phố",
        "Chủ tịch UBND thành phố",
        "Phó Chủ tịch UBND thành phố",
        "Chủ tịch HĐND thành phố",
        "Phó Chủ tịch HĐND thành phố",
    ),
    "party": (
        "Bí thư Thành ủy",
        "Phó Bí thư Thường trực Thành ủy",
        "Trưởng Ban Tuyên giáo Thành ủy",
        "Trưởng Ban Tổ chức Thành ủy",
        "Chủ nhiệm Ủy ban Kiểm tra Thành ủy",
    ),
    "education": (
        "Phó Chủ tịch UBND thành phố",
        "Trưởng phòng Giáo dục và Đào tạo thành phố",
        "Phó Trưởng phòng Giáo dục và Đào tạo thành phố",
    ),
    "health": (
        "Giám đốc Trung tâm Y tế thành phố",
        "Phó Chủ tịch UBND thành phố",
        "Trưởng phòng Y tế thành phố",
    ),
    "defense": (
        "Chỉ huy trưởng Ban Chỉ huy Quân sự thành phố",
        "Chính trị viên Ban Chỉ huy Quân sự thành phố",
        "Bí thư Thành ủy",
        "Chủ tịch UBND thành phố",
    ),
    "security": (
        "Trưởng Công an thành phố",
        "Phó Trưởng Công an thành phố",
        "Phó Chủ tịch UBND thành phố",
    ),
    "culture": (
        "Phó Chủ tịch UBND thành phố",
        "Trưởng phòng Văn hóa và Thông tin thành phố",
        "Trưởng Ban Tuyên giáo Thành ủy",
    ),
}

REPORTERS = (
    "Thanh Huệ", "Minh Ngọc", "Hoàng Anh", "Thu Trang", "Quốc Hùng",
    "Lan Phương", "Ngọc Ánh", "Việt Hà", "Hồng Nhung", "Đức Thắng",
    "Mai Linh", "Bích Ngọc", "Văn Tuấn", "Thúy Hằng", "Hải Yến",
    "Nguyễn Thị Lan", "Hoàng Minh Đức", "Lương Thu Hà", "Vi Thị Hạnh",
)
UNITS = (
    "Đài TT-TH TPLS",
    "Đài TT-TH thành phố",
    "Đài Truyền thanh - Truyền hình thành phố",
    "Văn phòng HĐND và UBND thành phố",
    "Phòng Văn hóa và Thông tin thành phố",
)
SOURCES = (
    "Báo Lạng Sơn",
    "Cổng TTĐT tỉnh Lạng Sơn",
    "Đài PT-TH Lạng Sơn",
    "baolangson.vn",
    "Báo Lạng Sơn điện tử",
)

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

# --------------------------------------------------------------------------
# Sentences shared by every topic
# --------------------------------------------------------------------------

GENERIC_SENTENCES = (
    "Đây là hoạt động thiết thực nhằm nâng cao nhận thức và trách nhiệm của cán bộ, đảng viên và Nhân dân trên địa bàn thành phố.",
    "Các đơn vị liên quan được giao phối hợp chặt chẽ, thường xuyên kiểm tra, đôn đốc và báo cáo kết quả về UBND thành phố.",
    "Công tác tuyên truyền được triển khai bằng nhiều hình thức phong phú như hệ thống loa truyền thanh, trang thông tin điện tử và các buổi sinh hoạt tại khu dân cư.",
    "Qua đó góp phần giữ vững ổn định chính trị, thúc đẩy phát triển kinh tế - xã hội của thành phố.",
    "Nhiều mô hình, cách làm hay đã được các phường, xã chủ động triển khai và bước đầu mang lại hiệu quả rõ rệt.",
    "Bên cạnh những kết quả đạt được, vẫn còn một số khó khăn, hạn chế cần sớm được khắc phục trong thời gian tới.",
    "Các đại biểu đã tập trung thảo luận, đóng góp nhiều ý kiến tâm huyết, sát với thực tiễn của địa phương.",
    "Việc triển khai được thực hiện công khai, minh bạch, đúng quy định và nhận được sự đồng tình của đông đảo người dân.",
    "Lãnh đạo thành phố đề nghị các cấp ủy, chính quyền tiếp tục quan tâm chỉ đạo, huy động sự vào cuộc của cả hệ thống chính trị.",
    "Kết quả này tạo tiền đề quan trọng để thành phố hoàn thành các chỉ tiêu kế hoạch năm {y}.",
    "Nhân dịp này, nhiều tập thể và cá nhân có thành tích tiêu biểu đã được biểu dương, khen thưởng.",
    "Chương trình nhận được sự hưởng ứng tích cực của cán bộ, công chức, viên chức và các tầng lớp Nhân dân.",
    "Ngay sau buổi làm việc, các phòng, ban chuyên môn đã xây dựng kế hoạch chi tiết để tổ chức thực hiện.",
    "Những kết quả đó góp phần xây dựng thành phố Lạng Sơn ngày càng văn minh, hiện đại.",
)

GENERIC_CLOSERS = (
    "Thời gian tới, thành phố sẽ tiếp tục chỉ đạo các cơ quan, đơn vị triển khai đồng bộ các giải pháp, phấn đấu hoàn thành thắng lợi các mục tiêu đã đề ra.",
    "Các cơ quan, đơn vị được yêu cầu nghiêm túc triển khai thực hiện và báo cáo kết quả trước ngày {d2}/{m2}/{y}.",
    "Hoạt động góp phần lan tỏa tinh thần đoàn kết, chung sức xây dựng thành phố Lạng Sơn phát triển nhanh và bền vững./.",
    "Sự kiện tiếp tục khẳng định quyết tâm của Đảng bộ, chính quyền và Nhân dân thành phố trong thực hiện nhiệm vụ chính trị của địa phương./.",
)

GENERIC_CAPTIONS = (
    "Quang cảnh hội nghị",
    "Các đại biểu dự hội nghị",
    "{Leader} phát biểu chỉ đạo",
    "Lãnh đạo thành phố trao Giấy khen cho các tập thể có thành tích xuất sắc",
    "Đại biểu phát biểu tham luận tại hội nghị",
    "Các đại biểu chụp ảnh lưu niệm",
    "Đoàn công tác kiểm tra thực tế tại cơ sở",
)

GENERIC_HEADINGS = (
    "Kết quả đạt được",
    "Nhiệm vụ trọng tâm thời gian tới",
    "Một số khó khăn, vướng mắc",
    "Giải pháp thực hiện",
    "Những chuyển biến tích cực",
)

GENERIC_LIST_INTROS = (
    "Thời gian tới, thành phố tập trung thực hiện một số nhiệm vụ trọng tâm sau:",
    "Hội nghị thống nhất một số nội dung chủ yếu như sau:",
    "Lãnh đạo thành phố yêu cầu các đơn vị thực hiện tốt các nội dung sau:",
)

GENERIC_LIST_ITEMS = (
    "Tăng cường công tác tuyên truyền, nâng cao nhận thức của người dân;",
    "Rà soát, hoàn thiện các văn bản chỉ đạo, hướng dẫn thực hiện;",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong quản lý, điều hành;",
    "Thường xuyên kiểm tra, giám sát, kịp thời tháo gỡ khó khăn, vướng mắc;",
    "Nâng cao tinh thần trách nhiệm của người đứng đầu cơ quan, đơn vị;",
    "Huy động các nguồn lực xã hội tham gia thực hiện;",
    "Định kỳ sơ kết, đánh giá, biểu dương các tập thể, cá nhân điển hình.",
    "Bảo đảm kinh phí và các điều kiện cần thiết để triển khai thực hiện.",
)

UPDATE_SENTENCES = (
    "Cập nhật ngày {ud}/{um}/{uy}: Đến nay, các đơn vị đã hoàn thành việc triển khai các nội dung nêu trên và báo cáo kết quả về UBND thành phố.",
    "Cập nhật ngày {ud}/{um}/{uy}: UBND thành phố đã có văn bản chỉ đạo các phường, xã tiếp tục theo dõi, đôn đốc việc thực hiện.",
    "Cập nhật ngày {ud}/{um}/{uy}: Một số số liệu trong bài đã được điều chỉnh theo báo cáo chính thức của cơ quan chuyên môn.",
)

# --------------------------------------------------------------------------
# Topics
# --------------------------------------------------------------------------
# Each topic: stories (a title and the opening sentence that goes with it,
# usually with the event date {when}), sentences for the rest of the body,
# captions, optional list items and documents, the kind of official quoted
# (a key of POSITIONS) and, for events tied to a date, the years it can
# happen in.

TOPICS: dict[str, dict] = {
    "ubnd_meeting": {
        "positions": "city",
        "stories": (
            ('UBND thành phố họp phiên thường kỳ tháng {m}/{y}',
             '{when}, UBND thành phố Lạng Sơn tổ chức phiên họp thường kỳ tháng {m} nhằm đánh giá kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội và triển khai nhiệm vụ trọng tâm thời gian tới.'),
            ('Hội nghị triển khai nhiệm vụ {field} năm {y}',
             '{when}, Ủy ban nhân dân thành phố Lạng Sơn tổ chức hội nghị triển khai nhiệm vụ {field} năm {y}.'),
            ('Thành phố Lạng Sơn sơ kết công tác {field} 6 tháng đầu năm {y}',
             '{when}, UBND thành phố Lạng Sơn tổ chức hội nghị sơ kết công tác {field} 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm {y}.'),
            ('UBND thành phố làm việc với {ward} về công tác {field}',
             '{when}, {leader} chủ trì buổi làm việc với lãnh đạo {ward} về công tác {field}.'),
            ('Chủ tịch UBND thành phố kiểm tra tiến độ {project}',
             '{when}, đoàn công tác của UBND thành phố do đồng chí Chủ tịch UBND thành phố làm trưởng đoàn đã kiểm tra tiến độ {project}.'),
            ('Thành phố Lạng Sơn triển khai kế hoạch {field} năm {y}',
             'Nhằm thực hiện hiệu quả công tác {field} năm {y}, UBND thành phố Lạng Sơn đã ban hành kế hoạch và tổ chức hội nghị triển khai đến các phòng, ban, ngành và UBND các phường, xã.'),
        ),
        "sentences": (
            "Tham dự có các đồng chí trong Thường trực Thành ủy, Thường trực HĐND thành phố, lãnh đạo các phòng, ban, ngành và Chủ tịch UBND các phường, xã.",
            "Báo cáo tại hội nghị cho thấy, tổng thu ngân sách trên địa bàn ước đạt {money} tỷ đồng, bằng {pct}% dự toán năm.",
            "Công tác cải cách hành chính tiếp tục được quan tâm, tỷ lệ hồ sơ được giải quyết đúng hạn đạt {pct2}%.",
            "Công tác quản lý trật tự xây dựng được tăng cường; lực lượng chức năng đã kiểm tra {n1} công trình, xử lý {n2} trường hợp vi phạm.",
            "Các đại biểu tập trung làm rõ những khó khăn trong công tác giải phóng mặt bằng, thu hút đầu tư và quản lý đất đai.",
            "Tiến độ giải ngân vốn đầu tư công ở một số dự án còn chậm so với kế hoạch đề ra.",
            "{Leader} đề nghị các phòng, ban chuyên môn và UBND các phường, xã bám sát kế hoạch, tập trung hoàn thành các chỉ tiêu đã đề ra.",
            "Lãnh đạo thành phố yêu cầu tăng cường kỷ luật, kỷ cương hành chính, nâng cao tinh thần trách nhiệm của cán bộ, công chức trong thực thi công vụ.",
            "Đến nay, {project} đã hoàn thành khoảng {pct}% khối lượng công việc.",
            "Đơn vị thi công cam kết huy động thêm nhân lực, máy móc để bảo đảm tiến độ và chất lượng công trình.",
            "UBND {ward} đã chủ động rà soát, tháo gỡ vướng mắc cho {n1} hộ dân có đất bị ảnh hưởng.",
        ),
        "captions": (
            "Quang cảnh phiên họp",
            "{Leader} phát biểu kết luận phiên họp",
            "Đoàn công tác kiểm tra thực tế tại công trường",
            "Lãnh đạo các phòng, ban báo cáo tại hội nghị",
        ),
    },
    "party": {
        "positions": "party",
        "stories": (
            ('Thành ủy Lạng Sơn tổ chức hội nghị học tập, quán triệt Nghị quyết của Đảng',
             '{when}, Thành ủy Lạng Sơn tổ chức hội nghị học tập, quán triệt và triển khai thực hiện Nghị quyết của Đảng cho cán bộ chủ chốt của thành phố.'),
            ('Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ {n1}',
             '{when}, Ban Chấp hành Đảng bộ thành phố Lạng Sơn tổ chức hội nghị lần thứ {n1} nhằm đánh giá tình hình thực hiện nhiệm vụ và cho ý kiến vào một số nội dung quan trọng.'),
            ('Thành ủy Lạng Sơn tổng kết công tác xây dựng Đảng năm {y}',
             '{when}, Thành ủy Lạng Sơn tổ chức hội nghị tổng kết công tác xây dựng Đảng năm {y}, triển khai nhiệm vụ năm {y1}.'),
            ('Đảng bộ {ward} tổ chức lễ kết nạp đảng viên mới',
             '{when}, Đảng ủy {ward} tổ chức lễ kết nạp đảng viên mới cho {n3} quần chúng ưu tú.'),
            ('Thành ủy Lạng Sơn gặp mặt kỷ niệm {anniv} năm Ngày thành lập Đảng Cộng sản Việt Nam',
             '{when}, Thành ủy Lạng Sơn tổ chức gặp mặt kỷ niệm {anniv} năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2/1930 - 3/2/{y}).'),
            ('Ban Thường vụ Thành ủy làm việc với Đảng ủy {ward}',
             '{when}, Ban Thường vụ Thành ủy Lạng Sơn có buổi làm việc với Ban Thường vụ Đảng ủy {ward} về kết quả thực hiện nhiệm vụ chính trị.'),
        ),
        "sentences": (
            "Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến đến {n1} điểm cầu tại các phường, xã và đảng ủy cơ sở.",
            "{Leader} đã truyền đạt những nội dung cơ bản, cốt lõi của nghị quyết, đồng thời gợi mở một số vấn đề cần quan tâm khi vận dụng vào thực tiễn.",
            "Toàn Đảng bộ thành phố hiện có {n1} tổ chức cơ sở đảng với {big} đảng viên.",
            "Trong năm, các cấp ủy đã kết nạp được {n2} đảng viên mới, đạt {pct}% chỉ tiêu giao.",
            "Công tác kiểm tra, giám sát được thực hiện thường xuyên, đúng quy định, góp phần giữ nghiêm kỷ cương, kỷ luật trong Đảng.",
            "Việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh tiếp tục được các cấp ủy quan tâm triển khai.",
            "Các đảng viên mới đã được nghe công bố quyết định kết nạp và ôn lại lịch sử vẻ vang của Đảng Cộng sản Việt Nam.",
            "{Leader} đề nghị các cấp ủy đảng xây dựng chương trình hành động cụ thể, sát với điều kiện thực tế của từng đơn vị.",
            "Chất lượng sinh hoạt chi bộ từng bước được nâng lên, nội dung sinh hoạt ngày càng thiết thực.",
        ),
        "captions": (
            "{Leader} quán triệt nội dung nghị quyết",
            "Các đảng viên mới tuyên thệ dưới cờ Đảng",
            "Quang cảnh hội nghị tại điểm cầu thành phố",
            "Lãnh đạo Thành ủy trao quyết định kết nạp đảng viên",
        ),
    },
    "hdnd": {
        "positions": "city",
        "stories": (
            ('Kỳ họp thứ {n3} HĐND thành phố {hdnd_term}',
             '{when}, HĐND thành phố Lạng Sơn {hdnd_term} tổ chức kỳ họp thứ {n3} để xem xét, quyết định nhiều nội dung quan trọng.'),
            ('HĐND thành phố khai mạc kỳ họp thường lệ cuối năm {y}',
             '{when}, HĐND thành phố Lạng Sơn {hdnd_term} khai mạc kỳ họp thường lệ cuối năm {y}.'),
            ('Đại biểu HĐND thành phố tiếp xúc cử tri {ward}',
             '{when}, tổ đại biểu HĐND thành phố đã có buổi tiếp xúc cử tri tại {ward}.'),
            ('Thường trực HĐND thành phố giám sát công tác {field}',
             '{when}, đoàn giám sát của Thường trực HĐND thành phố do {leader} làm trưởng đoàn đã giám sát công tác {field} tại {ward}.'),
            ('HĐND thành phố chất vấn và trả lời chất vấn tại kỳ họp giữa năm {y}',
             '{when}, tại kỳ họp thường lệ giữa năm {y}, HĐND thành phố Lạng Sơn đã dành một buổi cho phiên chất vấn và trả lời chất vấn.'),
        ),
        "sentences": (
            "Kỳ họp đã nghe các báo cáo về tình hình kinh tế - xã hội, thu chi ngân sách và kết quả giải quyết kiến nghị của cử tri.",
            "Các đại biểu đã dành nhiều thời gian thảo luận, chất vấn những vấn đề được cử tri quan tâm như quản lý đất đai, vệ sinh môi trường và trật tự đô thị.",
            "Kỳ họp đã thông qua {n3} nghị quyết quan trọng với sự nhất trí cao của các đại biểu.",
            "Tại buổi tiếp xúc, cử tri đã nêu {n2} ý kiến, kiến nghị liên quan đến đầu tư hạ tầng, cấp giấy chứng nhận quyền sử dụng đất và chính sách an sinh xã hội.",
            "Lãnh đạo UBND thành phố đã trực tiếp tiếp thu, giải trình các ý kiến thuộc thẩm quyền.",
            "Những kiến nghị vượt thẩm quyền được tổng hợp, chuyển đến các cơ quan có liên quan xem xét, giải quyết.",
            "Đoàn giám sát đánh giá cao sự chủ động của địa phương, đồng thời chỉ ra một số tồn tại cần khắc phục.",
        ),
        "captions": (
            "Quang cảnh kỳ họp",
            "Cử tri phát biểu ý kiến tại buổi tiếp xúc",
            "{Leader} tiếp thu ý kiến cử tri",
            "Các đại biểu biểu quyết thông qua nghị quyết",
        ),
    },
    "border_trade": {
        "positions": "city",
        "stories": (
            ('Kim ngạch xuất nhập khẩu qua {gate} tăng {pct}%',
             'Từ đầu năm đến nay, tổng kim ngạch xuất nhập khẩu qua {gate} ước đạt {money} triệu USD, tăng {pct}% so với cùng kỳ năm trước.'),
            ('Hoạt động thông quan hàng hóa tại {gate} dịp đầu năm {y}',
             'Những ngày đầu năm {y}, hoạt động xuất nhập khẩu qua {gate} diễn ra sôi động với hàng trăm lượt phương tiện làm thủ tục thông quan mỗi ngày.'),
            ('Thành phố Lạng Sơn đẩy mạnh phát triển kinh tế cửa khẩu',
             'Với lợi thế nằm trên tuyến hành lang kinh tế Lạng Sơn - Hà Nội - Hải Phòng, thành phố Lạng Sơn xác định kinh tế cửa khẩu là một trong những động lực tăng trưởng quan trọng.'),
            ('Tháo gỡ khó khăn cho doanh nghiệp xuất nhập khẩu qua {gate}',
             '{when}, {leader} chủ trì hội nghị gặp mặt các doanh nghiệp kinh doanh xuất nhập khẩu qua {gate}.'),
            ('Xe chở nông sản ùn ứ tại {gate}: các lực lượng tăng cường phối hợp',
             'Những ngày qua, lượng xe chở nông sản đến {gate} tăng đột biến, gây ùn ứ cục bộ tại khu vực cửa khẩu.'),
        ),
        "sentences": (
            "Mỗi ngày có khoảng {big} lượt phương tiện chở hàng hóa xuất nhập khẩu làm thủ tục tại khu vực cửa khẩu.",
            "Mặt hàng xuất khẩu chủ yếu là nông sản như thanh long, dưa hấu, mít, chuối và sắn lát.",
            "Hàng nhập khẩu chủ yếu là máy móc, thiết bị, nguyên liệu phục vụ sản xuất và hàng tiêu dùng.",
            "Các lực lượng chức năng tại cửa khẩu đã bố trí cán bộ làm việc cả ngày nghỉ để bảo đảm thông quan thông suốt.",
            "Việc ứng dụng nền tảng cửa khẩu số giúp rút ngắn đáng kể thời gian làm thủ tục cho doanh nghiệp.",
            "Thành phố đã chỉ đạo các lực lượng tăng cường kiểm tra, kiểm soát, chống buôn lậu và gian lận thương mại.",
            "Nhiều doanh nghiệp cho biết thủ tục hành chính ngày càng được đơn giản hóa, chi phí logistics giảm đáng kể.",
            "Kinh tế cửa khẩu tiếp tục là động lực quan trọng trong tăng trưởng kinh tế của thành phố.",
        ),
        "captions": (
            "Phương tiện chở hàng làm thủ tục thông quan tại {gate}",
            "Lực lượng chức năng kiểm tra hàng hóa xuất khẩu",
            "Xe chở nông sản xếp hàng chờ xuất khẩu",
            "{Leader} kiểm tra hoạt động tại khu vực cửa khẩu",
        ),
        "list_items": (
            "Bố trí đủ nhân lực làm thủ tục thông quan cả ngày nghỉ, ngày lễ;",
            "Tăng cường phân luồng, điều tiết phương tiện, không để xảy ra ùn tắc kéo dài;",
            "Thông tin kịp thời cho doanh nghiệp về tình hình thông quan;",
            "Kiểm soát chặt chẽ chất lượng, nguồn gốc hàng hóa xuất nhập khẩu.",
        ),
    },
    "urban": {
        "positions": "city",
        "stories": (
            ('Chỉnh trang đô thị, xây dựng thành phố Lạng Sơn văn minh, hiện đại',
             'Những năm gần đây, diện mạo đô thị thành phố Lạng Sơn có nhiều thay đổi rõ nét.'),
            ('Ra quân lập lại trật tự vỉa hè, lòng đường trên tuyến phố {street}',
             '{when}, UBND thành phố Lạng Sơn tổ chức ra quân lập lại trật tự vỉa hè, lòng đường trên tuyến phố {street}.'),
            ('Khởi công {project}',
             '{when}, UBND thành phố Lạng Sơn tổ chức lễ khởi công {project}.'),
            ('{Market} sau cải tạo: diện mạo mới, sức mua tăng',
             'Sau thời gian cải tạo, {market} đã chính thức đưa vào hoạt động với diện mạo khang trang, sạch đẹp.'),
            ('Thành phố Lạng Sơn thu ngân sách đạt {pct}% dự toán',
             'Tính đến hết tháng {m}/{y}, tổng thu ngân sách nhà nước trên địa bàn thành phố Lạng Sơn ước đạt {money} tỷ đồng, bằng {pct}% dự toán năm.'),
            ('Hoàn thành hạ tầng tuyến phố {street}',
             'Sau nhiều tháng thi công, công trình cải tạo, nâng cấp hạ tầng tuyến phố {street} đã hoàn thành và đưa vào sử dụng.'),
        ),
        "sentences": (
            "Lực lượng ra quân gồm Đội Quản lý trật tự đô thị, Công an thành phố và UBND các phường liên quan.",
            "Qua ra quân, các lực lượng đã nhắc nhở {n2} hộ kinh doanh, tháo dỡ {n1} mái che, biển quảng cáo lấn chiếm vỉa hè.",
            "Công trình có tổng mức đầu tư khoảng {money} tỷ đồng, thời gian thực hiện trong {n3} năm.",
            "Khi hoàn thành, dự án sẽ góp phần hoàn thiện hạ tầng giao thông, tạo cảnh quan và không gian phát triển mới cho thành phố.",
            "Hệ thống điện chiếu sáng, cây xanh và vỉa hè trên nhiều tuyến phố đã được cải tạo, nâng cấp.",
            "Các tiểu thương đánh giá cao sự quan tâm của chính quyền, cam kết thực hiện nghiêm nội quy chợ.",
            "Thành phố kêu gọi người dân cùng chung tay giữ gìn vệ sinh môi trường, trật tự đô thị.",
            "Tỷ lệ thu gom, xử lý rác thải sinh hoạt trên địa bàn đạt trên {pct}%.",
            "Nhiều tuyến phố trở nên thông thoáng, sạch đẹp, được người dân và du khách đồng tình ủng hộ.",
        ),
        "captions": (
            "Lực lượng chức năng nhắc nhở hộ kinh doanh lấn chiếm vỉa hè",
            "Các đại biểu thực hiện nghi thức khởi công công trình",
            "Tuyến phố {street} sau khi được chỉnh trang",
            "Tiểu thương buôn bán tại khu chợ mới",
        ),
    },
    "rural": {
        "positions": "city",
        "stories": (
            ('{Commune} đón Bằng công nhận đạt chuẩn nông thôn mới nâng cao',
             '{when}, Đảng ủy, HĐND, UBND {commune} tổ chức lễ đón nhận Bằng công nhận xã đạt chuẩn nông thôn mới nâng cao.'),
            ('{Commune} phát triển mô hình trồng rau an toàn',
             'Những năm gần đây, nhiều hộ dân ở {commune} đã mạnh dạn chuyển đổi từ trồng lúa kém hiệu quả sang trồng rau an toàn.'),
            ('Xây dựng nông thôn mới kiểu mẫu tại {village}, {commune}',
             'Là một trong những khu dân cư đầu tiên của thành phố xây dựng nông thôn mới kiểu mẫu, {village}, {commune} đã có nhiều đổi thay.'),
            ('Thành phố Lạng Sơn hỗ trợ nông dân chuyển đổi cơ cấu cây trồng',
             'Năm {y}, thành phố Lạng Sơn tiếp tục triển khai chính sách hỗ trợ nông dân chuyển đổi cơ cấu cây trồng trên đất lúa kém hiệu quả.'),
            ('{Commune} ra mắt hợp tác xã nông nghiệp {coop}',
             '{when}, {commune} tổ chức ra mắt Hợp tác xã nông nghiệp {coop} với {n1} thành viên tham gia.'),
        ),
        "sentences": (
            "Đến nay, xã đã hoàn thành {n3}/19 tiêu chí nông thôn mới nâng cao, thu nhập bình quân đầu người đạt {money} triệu đồng/năm.",
            "Nhân dân trong xã đã hiến hơn {big} m² đất, đóng góp hàng nghìn ngày công để làm đường giao thông nông thôn.",
            "Diện tích rau an toàn của xã hiện đạt khoảng {n1} ha, cho thu nhập cao gấp {n3} lần so với trồng lúa.",
            "Các sản phẩm rau, củ được cấp giấy chứng nhận VietGAP và tiêu thụ ổn định tại các chợ, siêu thị trên địa bàn.",
            "Hệ thống giao thông, thủy lợi, trường học, trạm y tế được đầu tư đồng bộ, khang trang.",
            "Tỷ lệ hộ nghèo của xã giảm còn {pct}%, đời sống vật chất và tinh thần của người dân được nâng lên rõ rệt.",
            "Hợp tác xã sẽ tập trung sản xuất, bao tiêu sản phẩm cho các thành viên theo chuỗi giá trị.",
            "Thành phố hỗ trợ giống, phân bón và tổ chức tập huấn kỹ thuật cho người dân.",
        ),
        "captions": (
            "Người dân {commune} chăm sóc rau an toàn",
            "Lãnh đạo thành phố trao Bằng công nhận cho {commune}",
            "Đường giao thông nông thôn tại {village}",
            "Các thành viên hợp tác xã ra mắt tại buổi lễ",
        ),
    },
    "education": {
        "positions": "education",
        "stories": (
            ('{School} khai giảng năm học {y}-{y1}',
             '{when}, {school} long trọng tổ chức lễ khai giảng năm học mới {y}-{y1}.'),
            ('Ngành Giáo dục thành phố tổng kết năm học {y0}-{y}',
             '{when}, Phòng Giáo dục và Đào tạo thành phố Lạng Sơn tổ chức hội nghị tổng kết năm học {y0}-{y}.'),
            ('Tuyên dương học sinh giỏi cấp tỉnh năm học {y0}-{y}',
             '{when}, UBND thành phố Lạng Sơn tổ chức lễ tuyên dương học sinh đạt giải trong kỳ thi chọn học sinh giỏi cấp tỉnh năm học {y0}-{y}.'),
            ('{School} đón Bằng công nhận trường đạt chuẩn quốc gia',
             '{when}, {school} tổ chức lễ đón nhận Bằng công nhận trường đạt chuẩn quốc gia mức độ {n3}.'),
            ('Thành phố Lạng Sơn chuẩn bị cho kỳ thi tuyển sinh vào lớp 10 năm {y}',
             'Để chuẩn bị cho kỳ thi tuyển sinh vào lớp 10 năm {y}, Phòng Giáo dục và Đào tạo thành phố đã chỉ đạo các trường trung học cơ sở tổ chức ôn tập cho học sinh lớp 9.'),
        ),
        "sentences": (
            "Năm học này, toàn thành phố có {n1} trường mầm non, tiểu học và trung học cơ sở với trên {big} học sinh.",
            "Nhà trường đã đón {n2} em học sinh đầu cấp trong không khí vui tươi, phấn khởi.",
            "Tỷ lệ học sinh hoàn thành chương trình tiểu học đạt {pct}%, tốt nghiệp trung học cơ sở đạt {pct2}%.",
            "Đội ngũ giáo viên tiếp tục được chuẩn hóa, nhiều thầy cô đạt danh hiệu giáo viên dạy giỏi các cấp.",
            "Cơ sở vật chất trường lớp được đầu tư theo hướng kiên cố, hiện đại, đáp ứng yêu cầu đổi mới giáo dục.",
            "Các em học sinh đã giành được {n2} giải cấp tỉnh, trong đó có nhiều giải Nhất và giải Nhì.",
            "{Leader} mong muốn các thầy cô tiếp tục đổi mới phương pháp dạy học, các em học sinh chăm ngoan, học giỏi.",
            "Công tác bán trú, bảo đảm an toàn thực phẩm trong trường học được quan tâm thực hiện.",
        ),
        "captions": (
            "Học sinh {school} trong ngày khai giảng",
            "{Leader} đánh trống khai giảng năm học mới",
            "Lãnh đạo thành phố tặng Giấy khen cho các em học sinh giỏi",
            "Tiết mục văn nghệ chào mừng năm học mới",
        ),
        "list_items": (
            "Nâng cao chất lượng giáo dục toàn diện cho học sinh;",
            "Đẩy mạnh ứng dụng công nghệ thông tin trong dạy và học;",
            "Tăng cường cơ sở vật chất, xây dựng trường đạt chuẩn quốc gia;",
            "Bồi dưỡng học sinh giỏi, phụ đạo học sinh yếu, kém;",
            "Bảo đảm an toàn trường học, phòng chống đuối nước cho học sinh.",
        ),
    },
    "festival": {
        "positions": "culture",
        "stories": (
            ('Khai mạc {festival} năm {y}',
             '{when}, UBND thành phố Lạng Sơn tổ chức khai mạc {festival} năm {y}.'),
            ('{Festival} năm {y} thu hút đông đảo du khách',
             'Diễn ra trong hai ngày, {festival} năm {y} đã thu hút đông đảo người dân và du khách thập phương về dự.'),
            ('Liên hoan văn nghệ quần chúng chào mừng Ngày hội Đại đoàn kết toàn dân tộc',
             '{when}, tại Quảng trường Chiến thắng Đồng Đăng - Kỳ Lừa, UBND thành phố tổ chức liên hoan văn nghệ quần chúng chào mừng Ngày hội Đại đoàn kết toàn dân tộc.'),
            ('Giải bóng chuyền hơi người cao tuổi thành phố năm {y}',
             '{when}, Trung tâm Văn hóa, Thể thao và Truyền thông thành phố tổ chức khai mạc giải bóng chuyền hơi người cao tuổi năm {y}.'),
            ('Ngày hội văn hóa các dân tộc {ward} năm {y}',
             '{when}, {ward} tổ chức Ngày hội văn hóa các dân tộc năm {y} với nhiều hoạt động đặc sắc.'),
        ),
        "sentences": (
            "Lễ hội được tổ chức nhằm tưởng nhớ công lao của các bậc tiền nhân có công bảo vệ vùng biên cương Xứ Lạng.",
            "Phần lễ gồm các nghi thức rước kiệu, dâng hương và tế lễ theo nghi thức truyền thống.",
            "Phần hội diễn ra với nhiều trò chơi dân gian như kéo co, đẩy gậy, ném còn, đánh cờ tướng.",
            "Liên hoan có sự tham gia của {n1} đội văn nghệ đến từ các phường, xã và cơ quan, đơn vị trên địa bàn.",
            "Các tiết mục hát then, đàn tính, hát sli, hát lượn mang đậm bản sắc văn hóa của đồng bào các dân tộc Xứ Lạng.",
            "Ban tổ chức đã trao {n3} giải Nhất, {n2} giải Nhì cùng nhiều giải Ba, giải Khuyến khích cho các đội.",
            "Công tác bảo đảm an ninh trật tự, vệ sinh môi trường, an toàn thực phẩm trong thời gian diễn ra lễ hội được chuẩn bị chu đáo.",
            "Lễ hội thu hút hàng nghìn lượt người dân và du khách thập phương về dự.",
            "Hoạt động góp phần giữ gìn và phát huy các giá trị văn hóa truyền thống tốt đẹp của dân tộc.",
        ),
        "captions": (
            "Nghi thức rước kiệu tại {festival}",
            "Tiết mục hát then, đàn tính tại liên hoan",
            "Người dân và du khách tham gia trò chơi dân gian",
            "Ban tổ chức trao giải cho các đội đạt thành tích cao",
            "Đông đảo người dân về dự lễ hội",
        ),
    },
    "health": {
        "positions": "health",
        "stories": (
            ('Trung tâm Y tế thành phố triển khai chiến dịch tiêm chủng mở rộng',
             '{when}, Trung tâm Y tế thành phố Lạng Sơn triển khai chiến dịch tiêm chủng mở rộng tại các trạm y tế phường, xã.'),
            ('Thành phố Lạng Sơn chủ động phòng, chống dịch sốt xuất huyết',
             'Trước nguy cơ dịch sốt xuất huyết gia tăng trong mùa mưa, ngành y tế thành phố Lạng Sơn đã chủ động triển khai nhiều biện pháp phòng, chống dịch.'),
            ('Tăng cường kiểm tra an toàn thực phẩm dịp Tết Nguyên đán {y}',
             '{when}, Ban Chỉ đạo liên ngành về an toàn thực phẩm thành phố tổ chức kiểm tra các cơ sở sản xuất, kinh doanh thực phẩm phục vụ Tết Nguyên đán.'),
            ('Khám bệnh, cấp thuốc miễn phí cho người cao tuổi {ward}',
             '{when}, {ward} phối hợp với Trung tâm Y tế thành phố tổ chức khám bệnh, cấp thuốc miễn phí cho người cao tuổi.'),
            ('Hưởng ứng Tháng hành động vì an toàn thực phẩm năm {y}',
             '{when}, Ban Chỉ đạo liên ngành về an toàn thực phẩm thành phố tổ chức lễ phát động Tháng hành động vì an toàn thực phẩm năm {y}.'),
        ),
        "sentences": (
            "Chiến dịch hướng tới mục tiêu bảo đảm tỷ lệ trẻ em trong độ tuổi được tiêm chủng đầy đủ đạt trên {pct}%.",
            "Các trạm y tế đã bố trí đầy đủ nhân lực, vắc xin và trang thiết bị, bảo đảm an toàn tiêm chủng.",
            "Đoàn kiểm tra đã kiểm tra {n1} cơ sở, nhắc nhở {n2} cơ sở chưa thực hiện đầy đủ các quy định về an toàn thực phẩm.",
            "Người dân được khuyến cáo thực hiện tốt các biện pháp diệt lăng quăng, bọ gậy, phát quang bụi rậm quanh nhà.",
            "Dịp này, {n2} người cao tuổi đã được khám, tư vấn sức khỏe và nhận thuốc miễn phí.",
            "Ngành y tế thành phố tăng cường giám sát, phát hiện sớm các ca bệnh để khoanh vùng, xử lý kịp thời.",
            "Các cơ sở kinh doanh thực phẩm đã ký cam kết bảo đảm an toàn thực phẩm.",
            "Công tác khám chữa bệnh bảo hiểm y tế tại các trạm y tế tiếp tục được duy trì ổn định.",
        ),
        "captions": (
            "Nhân viên y tế tiêm vắc xin cho trẻ em",
            "Đoàn kiểm tra an toàn thực phẩm tại một cơ sở kinh doanh",
            "Người cao tuổi được khám sức khỏe miễn phí",
            "Phun hóa chất phòng, chống sốt xuất huyết tại khu dân cư",
        ),
    },
    "covid": {
        "positions": "health",
        "years": (2020, 2021, 2022),
        "stories": (
            ('Thành phố Lạng Sơn tăng cường các biện pháp phòng, chống dịch Covid-19',
             '{when}, Ban Chỉ đạo phòng, chống dịch Covid-19 thành phố Lạng Sơn họp triển khai các biện pháp cấp bách phòng, chống dịch.'),
            ('Tiêm vắc xin phòng Covid-19 cho người dân {ward}',
             '{when}, {ward} tổ chức tiêm vắc xin phòng Covid-19 cho người dân trên địa bàn.'),
            ('Thành phố Lạng Sơn thiết lập thêm điểm cách ly tập trung',
             'Trước diễn biến phức tạp của dịch Covid-19, thành phố Lạng Sơn đã thiết lập thêm điểm cách ly tập trung để sẵn sàng tiếp nhận người về từ vùng dịch.'),
            ('Hỗ trợ người dân gặp khó khăn do đại dịch Covid-19',
             '{when}, UBND thành phố Lạng Sơn tổ chức trao hỗ trợ cho người lao động, hộ kinh doanh gặp khó khăn do ảnh hưởng của đại dịch Covid-19.'),
        ),
        "sentences": (
            "Các chốt kiểm soát dịch bệnh được duy trì hoạt động 24/24 giờ tại các cửa ngõ ra vào thành phố.",
            "Đến nay, toàn thành phố đã tiêm được {big} liều vắc xin phòng Covid-19.",
            "Người dân được yêu cầu thực hiện nghiêm thông điệp 5K và khai báo y tế đầy đủ.",
            "Các tổ Covid cộng đồng phát huy vai trò trong giám sát người về từ vùng dịch.",
            "Thành phố đã hỗ trợ {n2} suất quà cho người lao động mất việc làm do ảnh hưởng của dịch.",
            "Lực lượng y tế, công an, quân sự làm việc liên tục để bảo đảm công tác phòng, chống dịch.",
        ),
        "captions": (
            "Nhân viên y tế tiêm vắc xin phòng Covid-19 cho người dân",
            "Lực lượng chức năng làm nhiệm vụ tại chốt kiểm soát",
            "Trao quà hỗ trợ người dân gặp khó khăn do dịch bệnh",
        ),
    },
    "social": {
        "positions": "city",
        "stories": (
            ('Thăm, tặng quà gia đình chính sách nhân dịp Tết Nguyên đán {y}',
             '{when}, đoàn công tác của thành phố do {leader} làm trưởng đoàn đã đến thăm, tặng quà các gia đình chính sách nhân dịp Tết Nguyên đán.'),
            ('Kỷ niệm {anniv2} năm Ngày Thương binh - Liệt sĩ',
             '{when}, UBND thành phố Lạng Sơn tổ chức lễ kỷ niệm {anniv2} năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/{y}).'),
            ('Trao nhà Đại đoàn kết cho hộ nghèo {ward}',
             '{when}, Ủy ban MTTQ Việt Nam thành phố phối hợp với {ward} tổ chức lễ bàn giao nhà Đại đoàn kết cho hộ nghèo.'),
            ('Thành phố Lạng Sơn giải quyết việc làm cho {big} lao động',
             'Năm {y}, công tác giải quyết việc làm trên địa bàn thành phố Lạng Sơn đạt nhiều kết quả tích cực.'),
            ('Hội Liên hiệp Phụ nữ thành phố ra mắt mô hình {model}',
             '{when}, Hội Liên hiệp Phụ nữ thành phố tổ chức ra mắt mô hình {model} tại {ward}.'),
        ),
        "sentences": (
            "Tại mỗi gia đình, đoàn đã ân cần hỏi thăm tình hình sức khỏe, đời sống và gửi lời chúc mừng năm mới.",
            "Dịp này, thành phố đã tặng {big} suất quà cho người có công, hộ nghèo và đối tượng bảo trợ xã hội.",
            "Ngôi nhà có tổng kinh phí xây dựng khoảng {money} triệu đồng, trong đó Quỹ Vì người nghèo thành phố hỗ trợ một phần.",
            "Gia đình nhận nhà bày tỏ niềm xúc động và cảm ơn sự quan tâm của cấp ủy, chính quyền địa phương.",
            "Thành phố hiện có trên {big} người có công với cách mạng đang được hưởng trợ cấp thường xuyên.",
            "Mô hình góp phần nâng cao vai trò của hội viên phụ nữ trong phát triển kinh tế và xây dựng gia đình hạnh phúc.",
            "Các phường, xã đã tổ chức dâng hương, dọn dẹp, chỉnh trang các nghĩa trang liệt sĩ trên địa bàn.",
            "Công tác giảm nghèo được triển khai đồng bộ, tỷ lệ hộ nghèo toàn thành phố giảm còn {pct}%.",
        ),
        "captions": (
            "{Leader} tặng quà gia đình chính sách",
            "Bàn giao nhà Đại đoàn kết cho hộ nghèo",
            "Các đại biểu dâng hương tại Nghĩa trang liệt sĩ thành phố",
            "Hội viên phụ nữ tham gia mô hình tại khu dân cư",
        ),
    },
    "defense": {
        "positions": "defense",
        "stories": (
            ('Thành phố Lạng Sơn tổ chức Lễ giao nhận quân năm {y}',
             '{when}, Hội đồng Nghĩa vụ quân sự thành phố Lạng Sơn tổ chức Lễ giao nhận quân năm {y}.'),
            ('Diễn tập khu vực phòng thủ thành phố năm {y}',
             '{when}, thành phố Lạng Sơn tổ chức diễn tập khu vực phòng thủ năm {y} với sự tham gia của các lực lượng vũ trang và các ban, ngành.'),
            ('Huấn luyện lực lượng dân quân tự vệ năm {y}',
             '{when}, Ban Chỉ huy Quân sự thành phố tổ chức khai mạc huấn luyện lực lượng dân quân tự vệ năm {y}.'),
            ('Kỷ niệm {anniv} năm Ngày thành lập Quân đội nhân dân Việt Nam',
             '{when}, Ban Chỉ huy Quân sự thành phố tổ chức gặp mặt kỷ niệm {anniv} năm Ngày thành lập Quân đội nhân dân Việt Nam (22/12/1944 - 22/12/{y}).'),
            ('Ra mắt tiểu đội dân quân thường trực {ward}',
             '{when}, {ward} tổ chức lễ ra mắt tiểu đội dân quân thường trực.'),
        ),
        "sentences": (
            "Năm nay, thành phố có {n2} thanh niên ưu tú lên đường thực hiện nghĩa vụ quân sự, bảo đảm 100% chỉ tiêu giao.",
            "Các tân binh đều đủ tiêu chuẩn về chính trị, sức khỏe và trình độ học vấn.",
            "Cuộc diễn tập nhằm nâng cao năng lực lãnh đạo, chỉ đạo, điều hành của cấp ủy, chính quyền trong xử lý các tình huống quốc phòng, an ninh.",
            "Lực lượng dân quân tự vệ được huấn luyện các nội dung chính trị, điều lệnh, kỹ thuật, chiến thuật.",
            "{Leader} động viên các tân binh phát huy truyền thống quê hương, hoàn thành tốt mọi nhiệm vụ được giao.",
            "Các tình huống diễn tập được xử lý linh hoạt, sát với thực tế, bảo đảm an toàn tuyệt đối.",
            "Công tác tuyển quân được thực hiện dân chủ, công khai, đúng luật.",
        ),
        "captions": (
            "Tân binh thành phố Lạng Sơn lên đường nhập ngũ",
            "{Leader} tặng hoa động viên tân binh",
            "Lực lượng dân quân tham gia diễn tập",
            "Các đại biểu kiểm tra công tác huấn luyện",
        ),
    },
    "security": {
        "positions": "security",
        "stories": (
            ('Công an thành phố ra quân tấn công, trấn áp tội phạm',
             '{when}, Công an thành phố Lạng Sơn tổ chức lễ ra quân tấn công, trấn áp tội phạm, bảo đảm an ninh trật tự.'),
            ('Bảo đảm trật tự an toàn giao thông dịp lễ, Tết',
             'Để bảo đảm trật tự an toàn giao thông dịp lễ, Tết, Công an thành phố Lạng Sơn đã triển khai đồng bộ nhiều giải pháp.'),
            ('Diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại {market}',
             '{when}, Công an thành phố phối hợp với Ban Quản lý {market} tổ chức diễn tập phương án chữa cháy và cứu nạn, cứu hộ.'),
            ('Ra mắt mô hình "Camera an ninh" tại {ward}',
             '{when}, Công an {ward} ra mắt mô hình "Camera an ninh" với sự tham gia của đông đảo người dân.'),
            ('Tổng kết phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {y}',
             '{when}, Ban Chỉ đạo phong trào Toàn dân bảo vệ an ninh Tổ quốc thành phố tổ chức hội nghị tổng kết năm {y}.'),
        ),
        "sentences": (
            "Từ đầu năm, lực lượng công an đã điều tra, làm rõ {n2} vụ phạm tội về trật tự xã hội, đạt tỷ lệ {pct}%.",
            "Các tổ công tác tăng cường tuần tra, kiểm soát, xử lý nghiêm các hành vi vi phạm trật tự an toàn giao thông.",
            "Qua kiểm tra, lực lượng chức năng đã lập biên bản xử lý {big} trường hợp vi phạm, tạm giữ nhiều phương tiện.",
            "Buổi diễn tập giúp nâng cao kỹ năng xử lý tình huống cháy, nổ cho lực lượng phòng cháy chữa cháy tại chỗ.",
            "Hệ thống camera được lắp đặt tại các tuyến phố, ngõ xóm giúp phát hiện, ngăn chặn kịp thời các hành vi vi phạm pháp luật.",
            "Phong trào Toàn dân bảo vệ an ninh Tổ quốc tiếp tục phát triển sâu rộng với nhiều mô hình hiệu quả.",
            "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn cơ bản ổn định.",
        ),
        "captions": (
            "Lực lượng công an diễu hành ra quân",
            "Lực lượng cảnh sát giao thông làm nhiệm vụ",
            "Diễn tập chữa cháy tại {market}",
            "Người dân tham gia mô hình bảo đảm an ninh trật tự",
        ),
    },
    "election": {
        "positions": "city",
        "years": (2016, 2021),
        "stories": (
            ('Thành phố Lạng Sơn sẵn sàng cho cuộc bầu cử đại biểu Quốc hội và HĐND các cấp',
             '{when}, đoàn kiểm tra của Ủy ban bầu cử thành phố đã kiểm tra công tác chuẩn bị bầu cử tại các phường, xã.'),
            ('Hội nghị hiệp thương lần thứ {n3} tại thành phố Lạng Sơn',
             '{when}, Ủy ban MTTQ Việt Nam thành phố Lạng Sơn tổ chức hội nghị hiệp thương lần thứ {n3}.'),
            ('Cử tri thành phố Lạng Sơn nô nức đi bầu cử',
             'Ngay từ sáng sớm, cử tri thành phố Lạng Sơn đã nô nức đến các điểm bỏ phiếu để thực hiện quyền và nghĩa vụ công dân.'),
            ('Kiểm tra công tác chuẩn bị bầu cử tại {ward}',
             '{when}, đoàn kiểm tra của Ủy ban bầu cử thành phố đã kiểm tra công tác chuẩn bị bầu cử tại {ward}.'),
        ),
        "sentences": (
            "Toàn thành phố có {n1} đơn vị bầu cử và {big} khu vực bỏ phiếu.",
            "Danh sách cử tri đã được niêm yết công khai đúng thời gian quy định.",
            "Hội nghị đã thống nhất lập danh sách sơ bộ những người ứng cử đại biểu HĐND thành phố.",
            "Các tổ bầu cử đã chuẩn bị chu đáo về cơ sở vật chất, tài liệu và phương án bảo đảm an ninh trật tự.",
            "Tỷ lệ cử tri đi bỏ phiếu tại nhiều khu vực đạt trên {pct}%.",
        ),
        "captions": (
            "Cử tri bỏ phiếu tại khu vực bỏ phiếu số {n3}",
            "Quang cảnh hội nghị hiệp thương",
            "Đoàn kiểm tra làm việc tại tổ bầu cử",
        ),
    },
    "reform": {
        "positions": "city",
        "stories": (
            ('Thành phố Lạng Sơn đẩy mạnh chuyển đổi số trong cơ quan nhà nước',
             '{when}, UBND thành phố Lạng Sơn tổ chức hội nghị triển khai kế hoạch chuyển đổi số năm {y}.'),
            ('Nâng cao chất lượng phục vụ tại Bộ phận Một cửa thành phố',
             'Thời gian qua, Bộ phận tiếp nhận và trả kết quả thành phố Lạng Sơn đã có nhiều đổi mới trong phục vụ người dân, doanh nghiệp.'),
            ('Triển khai dịch vụ công trực tuyến mức độ 4',
             'Từ tháng {m}/{y}, UBND thành phố Lạng Sơn triển khai cung cấp dịch vụ công trực tuyến mức độ 4 đối với nhiều thủ tục hành chính.'),
            ('Đối thoại với doanh nghiệp về cải cách thủ tục hành chính năm {y}',
             '{when}, UBND thành phố tổ chức hội nghị đối thoại với doanh nghiệp, hộ kinh doanh về cải cách thủ tục hành chính năm {y}.'),
        ),
        "sentences": (
            "Từ đầu năm, Bộ phận Một cửa thành phố đã tiếp nhận {big} hồ sơ, trong đó {pct}% được giải quyết trước và đúng hạn.",
            "Tỷ lệ hồ sơ nộp trực tuyến tăng mạnh so với cùng kỳ năm trước.",
            "Thành phố đã đưa vào sử dụng hệ thống quản lý văn bản và điều hành, chữ ký số được sử dụng rộng rãi.",
            "Người dân có thể tra cứu tình trạng hồ sơ qua mạng hoặc tin nhắn điện thoại.",
            "Các doanh nghiệp đã nêu {n2} ý kiến liên quan đến thủ tục đất đai, xây dựng và thuế.",
            "Cán bộ, công chức tại Bộ phận Một cửa luôn niềm nở, tận tình hướng dẫn người dân.",
        ),
        "captions": (
            "Người dân làm thủ tục tại Bộ phận Một cửa thành phố",
            "Doanh nghiệp phát biểu tại hội nghị đối thoại",
            "Cán bộ hướng dẫn người dân nộp hồ sơ trực tuyến",
        ),
    },
    "notice": {
        "positions": "city",
        "stories": (
            ('Thông báo tuyển dụng viên chức sự nghiệp giáo dục năm {y}',
             'Ủy ban nhân dân thành phố Lạng Sơn thông báo tuyển dụng viên chức làm việc tại các đơn vị sự nghiệp giáo dục công lập năm {y}.'),
            ('Thông báo lịch tiếp công dân của Chủ tịch UBND thành phố tháng {m}/{y}',
             'Ủy ban nhân dân thành phố Lạng Sơn thông báo lịch tiếp công dân định kỳ của Chủ tịch UBND thành phố tháng {m}/{y}.'),
            ('Quyết định phê duyệt quy hoạch chi tiết khu dân cư {village}',
             'Ủy ban nhân dân thành phố Lạng Sơn công bố quyết định phê duyệt quy hoạch chi tiết xây dựng tỷ lệ 1/500 khu dân cư {village}.'),
            ('Thông báo kết quả lựa chọn nhà thầu gói thầu số {n1}',
             'Căn cứ kết quả đánh giá hồ sơ dự thầu, UBND thành phố Lạng Sơn thông báo kết quả lựa chọn nhà thầu gói thầu số {n1}.'),
            ('Kế hoạch tuyển sinh vào lớp 6 năm học {y}-{y1}',
             'Thực hiện hướng dẫn của Sở Giáo dục và Đào tạo, UBND thành phố Lạng Sơn ban hành kế hoạch tuyển sinh vào lớp 6 năm học {y}-{y1}.'),
            ('Thông báo thu hồi đất để thực hiện {project}',
             'Ủy ban nhân dân thành phố Lạng Sơn thông báo thu hồi đất để thực hiện {project} đến các hộ gia đình, cá nhân có đất bị ảnh hưởng.'),
            ('Công khai dự toán ngân sách thành phố năm {y}',
             'Thực hiện quy định về công khai ngân sách, UBND thành phố Lạng Sơn công khai số liệu dự toán ngân sách thành phố năm {y}.'),
            ('Thông báo về việc tạm dừng cung cấp điện, nước trên tuyến phố {street}',
             'Để phục vụ thi công công trình, UBND thành phố Lạng Sơn thông báo tạm dừng cung cấp điện, nước trên tuyến phố {street} trong thời gian thi công.'),
        ),
        "sentences": (
            "Thời gian tiếp nhận hồ sơ từ ngày {d}/{m}/{y} đến hết ngày {d2}/{m2}/{y}, trong giờ hành chính các ngày làm việc.",
            "Địa điểm tiếp nhận: Bộ phận tiếp nhận và trả kết quả UBND thành phố, số 30 đường Lê Lợi, phường Vĩnh Trại.",
            "Các tổ chức, cá nhân có nhu cầu tìm hiểu thông tin chi tiết xin liên hệ {agency} trong giờ hành chính.",
            "Số lượng chỉ tiêu cần tuyển là {n2} người, gồm các vị trí giáo viên mầm non, tiểu học và trung học cơ sở.",
            "Nội dung chi tiết được niêm yết công khai tại trụ sở UBND thành phố và UBND các phường, xã.",
            "Đề nghị các cơ quan, đơn vị và Nhân dân trên địa bàn phối hợp thực hiện.",
            "Thời gian thực hiện dự kiến trong {n3} tháng kể từ ngày thông báo.",
        ),
        "captions": ("Trụ sở UBND thành phố Lạng Sơn",),
        "documents": (
            "Quyết định số {docno}/QĐ-UBND ngày {d}/{m}/{y} của UBND thành phố",
            "Thông báo số {docno}/TB-UBND ngày {d}/{m}/{y}",
            "Kế hoạch số {docno}/KH-UBND ngày {d}/{m}/{y}",
            "Phụ lục danh sách kèm theo",
            "Mẫu đơn đăng ký dự tuyển",
            "Biểu tổng hợp dự toán ngân sách năm {y}",
        ),
    },
}

# Which topics each section publishes, with weights.
SECTION_TOPICS: dict[str, tuple[tuple[str, int], ...]] = {
    "tin-tuc-su-kien": (
        ("ubnd_meeting", 5), ("urban", 3), ("festival", 2), ("education", 2),
        ("health", 2), ("social", 2), ("reform", 2), ("rural", 1), ("covid", 2),
        ("election", 2), ("security", 1), ("party", 1),
    ),
    "chinh-tri": (("party", 5), ("hdnd", 4), ("ubnd_meeting", 2), ("election", 2)),
    "kinh-te": (("border_trade", 4), ("urban", 3), ("rural", 3), ("reform", 1)),
    "van-hoa-xa-hoi": (
        ("education", 4), ("festival", 3), ("health", 3), ("social", 3), ("covid", 2),
    ),
    "quoc-phong-an-ninh": (("defense", 5), ("security", 5)),
    "thong-bao": (("notice", 1),),
}

# Sections of the portal: (name, path, weight in the article mix).
SECTIONS: tuple[tuple[str, str, int], ...] = (
    ("Tin tức - Sự kiện", "tin-tuc-su-kien", 34),
    ("Chính trị", "chinh-tri", 12),
    ("Kinh tế", "kinh-te", 15),
    ("Văn hóa - Xã hội", "van-hoa-xa-hoi", 17),
    ("Quốc phòng - An ninh", "quoc-phong-an-ninh", 10),
    ("Thông báo", "thong-bao", 12),
)

MODELS = (
    "\"Tiếng kẻng an ninh\"",
    "\"Phụ nữ tiết kiệm\"",
    "\"Nhà sạch, vườn đẹp\"",
    "\"Phân loại rác thải tại nguồn\"",
    "\"Khu dân cư không có tội phạm\"",
)
COOPS = ("Hoàng Đồng Xanh", "Mai Pha", "Rau sạch Quảng Lạc", "Nông sản Kỳ Cùng")

RELATED_HEADINGS = ("Các tin khác", "Tin liên quan", "Bài viết liên quan")
ATTACHMENT_LABELS = ("Tải về: ", "File đính kèm: ", "Xem chi tiết: ")

# Stories tied to a season: the months they can be published in (title template -> months).
STORY_MONTHS: dict[str, tuple[int, ...]] = {
    "{School} khai giảng năm học {y}-{y1}": (8, 9),
    "Ngành Giáo dục thành phố tổng kết năm học {y0}-{y}": (5, 6, 7),
    "Tuyên dương học sinh giỏi cấp tỉnh năm học {y0}-{y}": (3, 4, 5),
    "Thành phố Lạng Sơn chuẩn bị cho kỳ thi tuyển sinh vào lớp 10 năm {y}": (4, 5, 6),
    "Kế hoạch tuyển sinh vào lớp 6 năm học {y}-{y1}": (4, 5, 6),
    "Thăm, tặng quà gia đình chính sách nhân dịp Tết Nguyên đán {y}": (1, 2),
    "Tăng cường kiểm tra an toàn thực phẩm dịp Tết Nguyên đán {y}": (1, 2),
    "Kỷ niệm {anniv2} năm Ngày Thương binh - Liệt sĩ": (7,),
    "Kỷ niệm {anniv} năm Ngày thành lập Quân đội nhân dân Việt Nam": (12,),
    "Thành ủy Lạng Sơn gặp mặt kỷ niệm {anniv} năm Ngày thành lập Đảng Cộng sản Việt Nam": (1, 2),
    "Thành phố Lạng Sơn tổ chức Lễ giao nhận quân năm {y}": (2, 3),
    "HĐND thành phố khai mạc kỳ họp thường lệ cuối năm {y}": (12,),
    "HĐND thành phố chất vấn và trả lời chất vấn tại kỳ họp giữa năm {y}": (6, 7, 8),
    "Thành ủy Lạng Sơn tổng kết công tác xây dựng Đảng năm {y}": (12,),
    "Thành phố Lạng Sơn sơ kết công tác {field} 6 tháng đầu năm {y}": (6, 7),
    "Tổng kết phong trào Toàn dân bảo vệ an ninh Tổ quốc năm {y}": (11, 12),
    "Hưởng ứng Tháng hành động vì an toàn thực phẩm năm {y}": (4, 5),
    "Thành phố Lạng Sơn chủ động phòng, chống dịch sốt xuất huyết": (6, 7, 8, 9, 10),
    "Khai mạc {festival} năm {y}": (1, 2, 3),
    "{Festival} năm {y} thu hút đông đảo du khách": (1, 2, 3),
    "Liên hoan văn nghệ quần chúng chào mừng Ngày hội Đại đoàn kết toàn dân tộc": (11,),
    "Hoạt động thông quan hàng hóa tại {gate} dịp đầu năm {y}": (1, 2),
    "Công khai dự toán ngân sách thành phố năm {y}": (1, 2),
    "Cử tri thành phố Lạng Sơn nô nức đi bầu cử": (5,),
    "Thành phố Lạng Sơn sẵn sàng cho cuộc bầu cử đại biểu Quốc hội và HĐND các cấp": (3, 4, 5),
    "Hội nghị hiệp thương lần thứ {n3} tại thành phố Lạng Sơn": (2, 3, 4),
    "Kiểm tra công tác chuẩn bị bầu cử tại {ward}": (3, 4, 5),
}
