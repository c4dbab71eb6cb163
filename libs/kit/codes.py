"""National codes: USCC (GB 32100-2015), ID number (GB 11643), region (GB/T 2260), industry
(GB/T 4754-2017 major classes).

Checksums: the ID check digit is python-stdnum's (``stdnum.cn.ric.calc_check_digit``, which
takes the whole 18-character number and ignores its last character); the USCC check
character is table-driven (same result as ``stdnum.cn.uscc.calc_check_digit``, checked by the
tests; stdnum's costs ≈12 µs a code, too much for imports of a million rows).

Deliberate differences from stdnum:

- USCC: stdnum rejects any letter in the first 8 characters, but GB 32100-2015 allows a letter
  as registration authority (1st) and organisation type (2nd) code (e.g. ``N2…`` 农村集体经济组织,
  ``Y1…``), so only characters 3–8 (the region code) must be digits.
- ID numbers: ``stdnum.cn.ric.validate`` is not used: it rejects real people whose county code
  its table lacks for their birth year (e.g. 420102 born 1980) and accepts future birth dates.

Region codes come from stdnum's GB/T 2260 table (``stdnum/cn/loc.dat``, current and former
codes). Called per row in bulk imports, so everything is precomputed into sets and dicts.
"""

from __future__ import annotations

import re
from datetime import date
from importlib.resources import files

from stdnum.cn import ric as _ric

from kit import clock

# The ministry's own region (全国): valid only where ``allow_national`` says so.
NATIONAL = "100000"

# Province-level codes: the 31 mainland provinces and 66 新疆生产建设兵团 (a code of MIIT's, not
# of GB/T 2260); 71/81/82 (台湾, 香港, 澳门) are not part of the programme.
PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "66": "新疆生产建设兵团",
}

# 计划单列市: they run the programme like provinces (000 通知's addressees).
PLAN_CITIES: dict[str, str] = {
    "210200": "大连市",
    "370200": "青岛市",
    "330200": "宁波市",
    "350200": "厦门市",
    "440300": "深圳市",
}


# Filing units (DESIGN.md §5) are named by the prefix of their regions' codes: a province's
# (or 兵团's) 2 digits, a 计划单列市's 4 — the ``unit`` of every provincial record.
UNITS: dict[str, str] = {**PROVINCES, **{code[:4]: name for code, name in PLAN_CITIES.items()}}
# Each province's 计划单列市, which are not part of its unit.
PLAN_CITIES_OF: dict[str, tuple[str, ...]] = {
    p: tuple(sorted(c[:4] for c in PLAN_CITIES if c[:2] == p)) for p in PROVINCES
}


def unit_of(region_code: str) -> str:
    """The filing unit a region (or a region prefix) belongs to: its 计划单列市 when it lies
    under one, else its province (or 兵团): 330212 → 3302, 3302 → 3302, 330102 → 33."""
    city = region_code[:4]
    return city if len(city) == 4 and city + "00" in PLAN_CITIES else region_code[:2]


def unit_region(unit: str) -> str:
    """A unit's own region code: 33 → 330000, 3302 → 330200."""
    return unit.ljust(6, "0")


def filing_unit(region_code: str) -> str:
    """The region code of the filing unit a region belongs to: 330212 → 330200."""
    return unit_region(unit_of(region_code))


def unit_name(unit: str) -> str:
    """A filing unit's name, by its prefix or its region code: 3302 → 宁波市, 420000 → 湖北省."""
    return PLAN_CITIES.get(unit_region(unit)) or PROVINCES[unit[:2]]


# GB/T 4754-2017 门类: letter → (name, first major class, last major class).
INDUSTRY_SECTIONS: dict[str, tuple[str, str, str]] = {
    "A": ("农、林、牧、渔业", "01", "05"),
    "B": ("采矿业", "06", "12"),
    "C": ("制造业", "13", "43"),
    "D": ("电力、热力、燃气及水生产和供应业", "44", "46"),
    "E": ("建筑业", "47", "50"),
    "F": ("批发和零售业", "51", "52"),
    "G": ("交通运输、仓储和邮政业", "53", "60"),
    "H": ("住宿和餐饮业", "61", "62"),
    "I": ("信息传输、软件和信息技术服务业", "63", "65"),
    "J": ("金融业", "66", "69"),
    "K": ("房地产业", "70", "70"),
    "L": ("租赁和商务服务业", "71", "72"),
    "M": ("科学研究和技术服务业", "73", "75"),
    "N": ("水利、环境和公共设施管理业", "76", "79"),
    "O": ("居民服务、修理和其他服务业", "80", "82"),
    "P": ("教育", "83", "83"),
    "Q": ("卫生和社会工作", "84", "85"),
    "R": ("文化、体育和娱乐业", "86", "90"),
    "S": ("公共管理、社会保障和社会组织", "91", "96"),
    "T": ("国际组织", "97", "97"),
}

# GB/T 4754-2017 大类 (major classes), 01–97.
INDUSTRIES: dict[str, str] = {
    "01": "农业",
    "02": "林业",
    "03": "畜牧业",
    "04": "渔业",
    "05": "农、林、牧、渔专业及辅助性活动",
    "06": "煤炭开采和洗选业",
    "07": "石油和天然气开采业",
    "08": "黑色金属矿采选业",
    "09": "有色金属矿采选业",
    "10": "非金属矿采选业",
    "11": "开采专业及辅助性活动",
    "12": "其他采矿业",
    "13": "农副食品加工业",
    "14": "食品制造业",
    "15": "酒、饮料和精制茶制造业",
    "16": "烟草制品业",
    "17": "纺织业",
    "18": "纺织服装、服饰业",
    "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业",
    "21": "家具制造业",
    "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业",
    "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业",
    "26": "化学原料和化学制品制造业",
    "27": "医药制造业",
    "28": "化学纤维制造业",
    "29": "橡胶和塑料制品业",
    "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业",
    "32": "有色金属冶炼和压延加工业",
    "33": "金属制品业",
    "34": "通用设备制造业",
    "35": "专用设备制造业",
    "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业",
    "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业",
    "40": "仪器仪表制造业",
    "41": "其他制造业",
    "42": "废弃资源综合利用业",
    "43": "金属制品、机械和设备修理业",
    "44": "电力、热力生产和供应业",
    "45": "燃气生产和供应业",
    "46": "水的生产和供应业",
    "47": "房屋建筑业",
    "48": "土木工程建筑业",
    "49": "建筑安装业",
    "50": "建筑装饰、装修和其他建筑业",
    "51": "批发业",
    "52": "零售业",
    "53": "铁路运输业",
    "54": "道路运输业",
    "55": "水上运输业",
    "56": "航空运输业",
    "57": "管道运输业",
    "58": "多式联运和运输代理业",
    "59": "装卸搬运和仓储业",
    "60": "邮政业",
    "61": "住宿业",
    "62": "餐饮业",
    "63": "电信、广播电视和卫星传输服务",
    "64": "互联网和相关服务",
    "65": "软件和信息技术服务业",
    "66": "货币金融服务",
    "67": "资本市场服务",
    "68": "保险业",
    "69": "其他金融业",
    "70": "房地产业",
    "71": "租赁业",
    "72": "商务服务业",
    "73": "研究和试验发展",
    "74": "专业技术服务业",
    "75": "科技推广和应用服务业",
    "76": "水利管理业",
    "77": "生态保护和环境治理业",
    "78": "公共设施管理业",
    "79": "土地管理业",
    "80": "居民服务业",
    "81": "机动车、电子产品和日用产品修理业",
    "82": "其他服务业",
    "83": "教育",
    "84": "卫生",
    "85": "社会工作",
    "86": "新闻和出版业",
    "87": "广播、电视、电影和录音制作业",
    "88": "文化艺术业",
    "89": "体育",
    "90": "娱乐业",
    "91": "中国共产党机关",
    "92": "国家机构",
    "93": "人民政协、民主党派",
    "94": "社会保障",
    "95": "群众团体、社会团体和其他成员组织",
    "96": "基层群众自治组织及其他组织",
    "97": "国际组织",
}


class CodeError(ValueError):
    """An invalid national code: ``code`` is the stable error code (``USCC_INVALID``, …),
    the messages say what is wrong in Chinese and English."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def __reduce__(self) -> tuple[type[CodeError], tuple[str, str, str]]:
        # Picklable (bulk imports may validate in worker processes).
        return type(self), (self.code, self.message_zh, self.message_en)


# --- regions (GB/T 2260) ------------------------------------------------------------------

_LOC_LINE = re.compile(r'^(\s*)(\d+) \w+="([^"]*)"')
_LOC_PERIOD = re.compile(r"^\[[^\]]*\]")


def _current_name(field: str) -> str:
    """``"[-1991]东郊区,[1992-]东丽区"`` → ``"东丽区"`` (the last name the code had)."""
    return _LOC_PERIOD.sub("", field.split(",")[-1])


_LOC_CLOSED = re.compile(r"^\[[^\]]*-\d{4}\]")  # "[-2010]崇文区", "[1983-1997]…": abolished


def _load_regions() -> dict[str, str]:
    """GB/T 2260 codes known to stdnum (current and former) for the provinces of PROVINCES,
    with the prefecture and province codes they imply; code → name ("" when unknown).
    Codes abolished since go into ``FORMER``."""
    regions: dict[str, str] = {}
    province = ""
    text = files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    for line in text.splitlines():
        match = _LOC_LINE.match(line)
        if match is None:
            continue
        indent, digits, field = match.groups()
        if not indent:
            province = digits
        elif province in PROVINCES and len(digits) == 4:
            regions[province + digits] = _current_name(field)
            regions.setdefault(province + digits[:2] + "00", "")  # its prefecture
            if _LOC_CLOSED.match(field.split(",")[-1]):
                FORMER.add(province + digits)
    for code, name in PROVINCES.items():
        regions[code + "0000"] = name
    for code, name in PLAN_CITIES.items():
        regions[code] = name
    return regions


FORMER: set[str] = set()
REGIONS: dict[str, str] = _load_regions()
_REGION_CODES = frozenset(REGIONS)


def region_name(code: str) -> str | None:
    """The region's name (the latest one for former codes), or None if unknown."""
    return REGIONS.get(code) or None


def city_name(code: str) -> str:
    """``420100`` → 武汉市; a municipality's 市辖区 or 县 (and 省直辖县级行政单位) takes its
    province's name first."""
    name = region_name(code) or f"（{code}）"
    return name if name.endswith(("市", "州", "盟", "地区")) else PROVINCES[code[:2]] + name


def validate_region(value: str, *, allow_national: bool = False) -> str:
    """A GB/T 2260 province, prefecture or county code (current or former), or 660000
    (新疆生产建设兵团); 100000 (全国) only with ``allow_national``."""
    code = value.strip()
    if code in _REGION_CODES:
        return code
    if code == NATIONAL and allow_national:
        return code
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        raise CodeError(
            "REGION_INVALID",
            f"行政区划代码应为 6 位数字：{code!r}",
            f"A region code has 6 digits: {code!r}",
        )
    if code == NATIONAL:
        raise CodeError(
            "REGION_INVALID",
            "100000（全国）不能作为此处的行政区划代码",
            "100000 (national) is not allowed as the region here",
        )
    if code[:2] not in PROVINCES:
        raise CodeError(
            "REGION_INVALID",
            f"行政区划代码 {code} 的省级代码 {code[:2]} 无效",
            f"Region code {code} has no valid province part ({code[:2]})",
        )
    raise CodeError(
        "REGION_INVALID",
        f"行政区划代码 {code} 不存在（GB/T 2260）",
        f"Region code {code} does not exist (GB/T 2260)",
    )


# --- 统一社会信用代码 (GB 32100-2015) -----------------------------------------------------

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_ALPHABET = frozenset(_USCC_CHARS)
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# One table per position: character → value × weight.
_USCC_TABLES: tuple[dict[str, int], ...] = tuple(
    {c: v * w for v, c in enumerate(_USCC_CHARS)} for w in _USCC_WEIGHTS
)
# Region part (characters 3–8): a province, or 10 for registrations at national level
# (e.g. 社会团体 registered by 民政部: 5110000…).
_USCC_REGION_PREFIXES = frozenset(PROVINCES) | {"10"}
_USCC_ERROR = "USCC_INVALID"


def _uscc_check_char(body: str) -> str:
    """GB 32100-2015 check character of the first 17 characters (more are ignored)."""
    return _USCC_CHARS[-sum(map(dict.__getitem__, _USCC_TABLES, body)) % 31]


def validate_uscc(value: str) -> str:
    """A 统一社会信用代码, normalised (stripped, upper case)."""
    code = value.strip().upper()
    if len(code) != 18:
        raise CodeError(
            _USCC_ERROR,
            f"统一社会信用代码无效：应为 18 位，实际 {len(code)} 位",
            f"Invalid unified social credit code: 18 characters expected, got {len(code)}",
        )
    if not _USCC_ALPHABET.issuperset(code):
        bad = "".join(sorted(set(code) - _USCC_ALPHABET))
        raise CodeError(
            _USCC_ERROR,
            f"统一社会信用代码无效：含有不允许的字符 {bad}（不使用 I、O、S、V、Z）",
            f"Invalid unified social credit code: characters not allowed: {bad}"
            " (I, O, S, V, Z are never used)",
        )
    region = code[2:8]
    if not region.isdigit() or region[:2] not in _USCC_REGION_PREFIXES:
        raise CodeError(
            _USCC_ERROR,
            f"统一社会信用代码无效：第 3–8 位 {region} 不是有效的行政区划代码",
            f"Invalid unified social credit code: characters 3–8 ({region}) are not a region code",
        )
    if _uscc_check_char(code) != code[17]:
        raise CodeError(
            _USCC_ERROR,
            "统一社会信用代码无效：校验位不符",
            "Invalid unified social credit code: check character mismatch",
        )
    return code


# --- 公民身份号码 (GB 11643-1999) ----------------------------------------------------------

# Province part of an ID number: the mainland provinces (66 is MIIT's code for the 兵团,
# whose residents hold 65… numbers).
_ID_PROVINCES = frozenset(PROVINCES) - {"66"}
_ID_CHECK_CHARS = frozenset("0123456789X")
_ID_ERROR = "ID_NUMBER_INVALID"
_EARLIEST_BIRTH = date(1900, 1, 1)


def validate_id_number(value: str) -> str:
    """An 18-character 居民身份证号码, normalised (stripped, ``x`` → ``X``)."""
    number = value.strip().upper()
    if len(number) != 18:
        raise CodeError(
            _ID_ERROR,
            f"身份证号码无效：应为 18 位，实际 {len(number)} 位",
            f"Invalid ID number: 18 characters expected, got {len(number)}",
        )
    body = number[:17]
    if not (body.isascii() and body.isdigit()) or number[17] not in _ID_CHECK_CHARS:
        raise CodeError(
            _ID_ERROR,
            "身份证号码无效：前 17 位应为数字，末位为数字或 X",
            "Invalid ID number: 17 digits expected, then a digit or X",
        )
    if number[:2] not in _ID_PROVINCES:
        raise CodeError(
            _ID_ERROR,
            f"身份证号码无效：前两位 {number[:2]} 不是有效的省级代码",
            f"Invalid ID number: {number[:2]} is not a province code",
        )
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
    if (
        born is None or not _EARLIEST_BIRTH <= born <= clock.today()
    ):  # Beijing's day, as every date rule
        raise CodeError(
            _ID_ERROR,
            f"身份证号码无效：出生日期 {number[6:14]} 不存在或不在 1900 年至今",
            f"Invalid ID number: birth date {number[6:14]} does not exist or is not"
            " between 1900 and today",
        )
    if _ric.calc_check_digit(number) != number[17]:  # stdnum wants the whole number
        raise CodeError(
            _ID_ERROR,
            "身份证号码无效：校验位不符",
            "Invalid ID number: check digit mismatch",
        )
    return number


# --- 国民经济行业分类 (GB/T 4754-2017) ----------------------------------------------------


def validate_industry(value: str) -> str:
    """A GB/T 4754-2017 major class: exactly 2 digits, 01–97."""
    code = value.strip()
    if code in INDUSTRIES:
        return code
    raise CodeError(
        "INDUSTRY_INVALID",
        f"行业代码无效：{code!r} 不是 GB/T 4754-2017 的两位大类代码（01–97）",
        f"Invalid industry code: {code!r} is not a GB/T 4754-2017 major class (01–97)",
    )
