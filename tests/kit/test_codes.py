"""National code validators (DESIGN.md §4 Codes)."""

from __future__ import annotations

import pickle
import random
from collections.abc import Callable
from datetime import timedelta

import pytest
from kit import clock, codes
from kit.codes import CodeError
from stdnum.cn import ric, uscc

# GB 11643-1999's own example number.
STANDARD_ID_EXAMPLE = "11010519491231002X"


def id_number(body17: str) -> str:
    """A valid ID number: stdnum's calc_check_digit takes the whole number and ignores its
    last character, so give it a placeholder."""
    return body17 + ric.calc_check_digit(body17 + "0")


def credit_code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


def other_char(char: str) -> str:
    return "0" if char != "0" else "1"


def rejected(validate: Callable[..., str], value: str, **kwargs: bool) -> CodeError:
    with pytest.raises(CodeError) as err:
        validate(value, **kwargs)
    return err.value


class TestCodeError:
    def test_carries_code_and_both_messages(self) -> None:
        err = rejected(codes.validate_uscc, "123")
        assert isinstance(err, ValueError)
        assert err.code == "USCC_INVALID"
        assert err.message_zh.startswith("统一社会信用代码无效")
        assert err.message_en.startswith("Invalid unified social credit code")
        assert str(err) == err.message_en

    def test_survives_pickling(self) -> None:
        err = rejected(codes.validate_region, "990101")
        copy = pickle.loads(pickle.dumps(err))
        assert (copy.code, copy.message_zh, copy.message_en) == (
            err.code,
            err.message_zh,
            err.message_en,
        )


class TestUsccAccepted:
    def test_valid_code_is_normalised(self) -> None:
        code = credit_code("91420100MA4KX0001")
        assert codes.validate_uscc(" " + code.lower() + " ") == code

    def test_letters_allowed_in_the_first_two_characters(self) -> None:
        # GB 32100: registration authority N (农业) / Y (其他); stdnum wrongly rejects these.
        for body in ("N2420106MA4KX0001", "Y1110105MA4KX0001"):
            code = credit_code(body)
            assert not uscc.is_valid(code)
            assert codes.validate_uscc(code) == code

    def test_national_registration_region(self) -> None:
        code = credit_code("51100000500000123")
        assert codes.validate_uscc(code) == code

    def test_check_character_agrees_with_stdnum(self) -> None:
        rng = random.Random(7)
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        for _ in range(5000):
            body = (
                rng.choice("159NY")
                + rng.choice(alphabet)
                + rng.choice(["420100", "510104", "110000", "650102"])
                + "".join(rng.choice(alphabet) for _ in range(9))
            )
            code = credit_code(body)
            assert codes.validate_uscc(code) == code


class TestUsccRejected:
    @pytest.mark.parametrize("bad", ["91420100MA4KX000", "91420100MA4KX0001Z1", ""])
    def test_wrong_length(self, bad: str) -> None:
        err = rejected(codes.validate_uscc, bad)
        assert err.code == "USCC_INVALID"
        assert "18 位" in err.message_zh
        assert "18 characters" in err.message_en

    @pytest.mark.parametrize("char", ["!", "I", "O", "S", "V", "Z", "-"])
    def test_characters_outside_the_alphabet(self, char: str) -> None:
        err = rejected(codes.validate_uscc, "91420100MA4KX0001" + char)
        assert "字符" in err.message_zh
        assert char in err.message_en

    def test_wrong_check_character(self) -> None:
        good = credit_code("91420100MA4KX0001")
        err = rejected(codes.validate_uscc, good[:17] + other_char(good[17]))
        assert err.message_zh == "统一社会信用代码无效：校验位不符"
        assert err.message_en == "Invalid unified social credit code: check character mismatch"

    @pytest.mark.parametrize(
        "body", ["91990100MA4KX0001", "9142A100MA4KX0001", "91710000MA4KX0001"]
    )
    def test_region_part_is_not_a_region_code(self, body: str) -> None:
        err = rejected(codes.validate_uscc, credit_code(body))
        assert "行政区划" in err.message_zh
        assert "region" in err.message_en


class TestIdNumberAccepted:
    def test_the_standards_example(self) -> None:
        assert codes.validate_id_number(STANDARD_ID_EXAMPLE) == STANDARD_ID_EXAMPLE
        assert codes.validate_id_number(" 11010519491231002x ") == STANDARD_ID_EXAMPLE

    def test_helper_agrees_with_stdnum(self) -> None:
        assert id_number(STANDARD_ID_EXAMPLE[:17]) == STANDARD_ID_EXAMPLE
        assert ric.is_valid(id_number("11010519800101123"))

    def test_county_missing_from_the_birthplace_table_is_accepted(self) -> None:
        # stdnum's own validate() rejects 420102 for 1980; real people hold such numbers.
        number = id_number("42010219800101123")
        assert not ric.is_valid(number)
        assert codes.validate_id_number(number) == number

    def test_earliest_and_latest_birth_dates(self) -> None:
        today = clock.today().strftime("%Y%m%d")
        for body in ("11010519000101002", f"110105{today}002"):
            assert codes.validate_id_number(id_number(body)) == id_number(body)


class TestIdNumberRejected:
    def test_bad_check_digit(self) -> None:
        wrong = STANDARD_ID_EXAMPLE[:17] + "1"
        err = rejected(codes.validate_id_number, wrong)
        assert err.code == "ID_NUMBER_INVALID"
        assert err.message_en == "Invalid ID number: check digit mismatch"
        assert "校验位" in err.message_zh

    @pytest.mark.parametrize(
        "body",
        ["11010519490230002", "11010519491301002", "11010519490100002", "11010518991231002"],
    )
    def test_impossible_birth_dates(self, body: str) -> None:
        err = rejected(codes.validate_id_number, id_number(body))
        assert "birth date" in err.message_en
        assert "出生日期" in err.message_zh

    def test_future_birth_date(self) -> None:
        tomorrow = (clock.today() + timedelta(days=1)).strftime("%Y%m%d")
        err = rejected(codes.validate_id_number, id_number(f"110105{tomorrow}002"))
        assert "birth date" in err.message_en

    @pytest.mark.parametrize("prefix", ["99", "00", "66", "71", "81"])
    def test_unknown_province(self, prefix: str) -> None:
        err = rejected(codes.validate_id_number, id_number(prefix + "010519491231002"))
        assert "province" in err.message_en
        assert "省级代码" in err.message_zh

    @pytest.mark.parametrize("bad", ["1101051949123100", "11010519491231002X1", ""])
    def test_wrong_length(self, bad: str) -> None:
        err = rejected(codes.validate_id_number, bad)
        assert "18 characters" in err.message_en

    @pytest.mark.parametrize(
        "bad",
        ["1101051949123100XX", "11010519491231002Y", "１１010519491231002X", "11010519491231 02X"],
    )
    def test_characters(self, bad: str) -> None:
        err = rejected(codes.validate_id_number, bad)
        assert "17 digits" in err.message_en


class TestRegion:
    @pytest.mark.parametrize(
        "code",
        [
            "420102",  # county (district)
            "420100",  # prefecture
            "420000",  # province
            "510104",
            "110103",  # former county (崇文区, until 2010)
            "660000",  # 新疆生产建设兵团
            *codes.PLAN_CITIES,
        ],
    )
    def test_valid_codes(self, code: str) -> None:
        assert codes.validate_region(code) == code
        assert codes.validate_region(f" {code} ") == code

    @pytest.mark.parametrize("code", ["990101", "710000", "810000", "000000"])
    def test_unknown_province(self, code: str) -> None:
        err = rejected(codes.validate_region, code)
        assert err.code == "REGION_INVALID"
        assert "province" in err.message_en

    @pytest.mark.parametrize("code", ["429999", "420199"])
    def test_code_that_does_not_exist(self, code: str) -> None:
        err = rejected(codes.validate_region, code)
        assert "does not exist" in err.message_en

    @pytest.mark.parametrize("code", ["42010x", "4201020", "42010", "", "４２０１０２"])
    def test_not_six_digits(self, code: str) -> None:
        err = rejected(codes.validate_region, code)
        assert "6 digits" in err.message_en

    def test_national_only_when_allowed(self) -> None:
        assert codes.NATIONAL == "100000"
        err = rejected(codes.validate_region, "100000")
        assert "national" in err.message_en
        assert codes.validate_region("100000", allow_national=True) == "100000"
        assert codes.validate_region("420102", allow_national=True) == "420102"


class TestRegionTables:
    def test_provinces(self) -> None:
        assert len(codes.PROVINCES) == 32
        assert codes.PROVINCES["42"] == "湖北省"
        assert codes.PROVINCES["66"] == "新疆生产建设兵团"
        assert not {"71", "81", "82"} & set(codes.PROVINCES)

    def test_plan_cities(self) -> None:
        assert set(codes.PLAN_CITIES) == {"210200", "370200", "330200", "350200", "440300"}
        for code, name in codes.PLAN_CITIES.items():
            assert codes.region_name(code) == name

    def test_units(self) -> None:
        assert len(codes.UNITS) == 37 and codes.UNITS["3302"] == "宁波市"
        assert codes.unit_of("420102") == "42" and codes.unit_of("330212") == "3302"
        assert codes.unit_of("330102") == "33" and codes.unit_of("440300") == "4403"
        assert codes.unit_of("440106") == "44" and codes.unit_of("660000") == "66"
        assert codes.unit_region("3302") == "330200" and codes.unit_region("42") == "420000"
        assert codes.unit_name("3302") == codes.unit_name("330200") == "宁波市"
        assert codes.PLAN_CITIES_OF["37"] == ("3702",) and codes.PLAN_CITIES_OF["42"] == ()

    def test_names(self) -> None:
        assert codes.region_name("420000") == "湖北省"
        assert codes.region_name("420100") == "武汉市"
        assert codes.region_name("420102") == "江岸区"
        assert codes.region_name("660000") == "新疆生产建设兵团"
        assert codes.region_name("120110") == "东丽区"  # formerly 东郊区: the latest name
        assert codes.region_name("990101") is None


class TestIndustry:
    def test_all_97_major_classes(self) -> None:
        assert list(codes.INDUSTRIES) == [f"{n:02d}" for n in range(1, 98)]
        assert codes.INDUSTRIES["13"] == "农副食品加工业"
        assert codes.INDUSTRIES["39"] == "计算机、通信和其他电子设备制造业"
        assert codes.INDUSTRIES["97"] == "国际组织"

    def test_sections_cover_every_class_once(self) -> None:
        assert list(codes.INDUSTRY_SECTIONS) == [chr(c) for c in range(ord("A"), ord("T") + 1)]
        covered = [
            f"{n:02d}"
            for _, lo, hi in codes.INDUSTRY_SECTIONS.values()
            for n in range(int(lo), int(hi) + 1)
        ]
        assert covered == list(codes.INDUSTRIES)
        assert codes.INDUSTRY_SECTIONS["C"] == ("制造业", "13", "43")

    @pytest.mark.parametrize("code", ["39", " 39 ", "01", "97"])
    def test_valid(self, code: str) -> None:
        assert codes.validate_industry(code) == code.strip()

    @pytest.mark.parametrize("code", ["00", "98", "1", "131", "ab", "", "C39", "３９"])
    def test_invalid(self, code: str) -> None:
        err = rejected(codes.validate_industry, code)
        assert err.code == "INDUSTRY_INVALID"
        assert "GB/T 4754-2017" in err.message_en
