"""Institution qualification conditions (机构遴选条件), by institution type, quoted from the seeds.

Each ``text`` is the seed's numbered condition word for word; the only edits undo the PDF
extraction (lines broken mid-word joined, spaces around digits dropped) and drop the closing
``；``/``。``. Conditions marked ``mandatory=False`` are preferences (附件2 条件6 “……的机构
优先”): an institution is qualified for a type when it meets every mandatory condition.
The seeds set no conditions for training institutions (000 附件1 only names the 培训机构 in
the plan), so that list is empty rather than invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.vocabulary import InstitutionType


@dataclass(frozen=True)
class Condition:
    code: str
    text: str
    source: str
    mandatory: bool = True


def _conditions(
    prefix: str, source: str, texts: list[str], preferred: tuple[int, ...] = ()
) -> list[Condition]:
    return [
        Condition(f"{prefix}{n}", text, f"{source} 第{n}条", n not in preferred)
        for n, text in enumerate(texts, start=1)
    ]


CATALOGUE: dict[InstitutionType, list[Condition]] = {
    InstitutionType.TRAINING: [],
    InstitutionType.QUALITY_DIAGNOSIS: _conditions(
        "QD",
        "000 附件2 §二(二) 遴选机构",
        [
            "依法在中华人民共和国境内注册并具有独立法人资格",
            "具有固定的办公场所和开展质量诊断必要的设施",
            "具备国家认证认可监督管理委员会批准的质量管理体系认证资质",
            "具有一定数量（一般不得低于10名）的制造业相关领域质量管理咨询服务人员",
            "建立并有效运行质量管理能力诊断服务项目管理工作体系，具有完善服务过程监督和责任机制，"
            "确保从事的诊断服务过程受控",
            "熟悉《制造业企业质量能力评估规范》并具备相关质量诊断服务工作经历的机构优先",
            "诚信守法经营，近5年内无严重失信行为、未被相关部门处罚",
        ],
        preferred=(6,),
    ),
    InstitutionType.MANAGEMENT_DIAGNOSIS: _conditions(
        "MD",
        "000 附件3 §二(二) 遴选机构",
        [
            "在中华人民共和国境内依法注册登记，以战略管理咨询、生产运营管理咨询、市场营销咨询、"
            "财务管理咨询、合规管理咨询、数字化转型咨询等为主营业务的管理咨询机构，具有法人资格",
            "从事中小企业管理咨询业务经验丰富，具有一定数量的管理咨询专业人员。掌握现代管理技术"
            "工具和项目管理办法，拥有管理咨询诊断工具或模型、案例库及相关数据库等，具有一定的"
            "管理咨询服务数字化水平",
            "经营状况良好，在区域或行业管理咨询领域具有较高的信誉度和品牌影响力。拥有固定的工作"
            "场所和相应的服务设施",
            "无严重失信行为",
        ],
    ),
    InstitutionType.INNOVATION_SERVICE: _conditions(
        "IS",
        "000 附件4 §二(二) 遴选服务机构",
        [
            "具有独立法人资格，进行实体化运营，信用良好，无重大违法违规记录",
            "设置固定场所，拥有稳定的专业化服务团队，具有与提供技术创新服务相匹配的设备设施条件，"
            "具有完善的服务规章制度和服务规范",
            "服务领域具有明确的产业定位，体制机制层面具有创新性",
            "服务内容须符合下列中的一项："
            "(1)面向中小企业创新发展需求，汇聚各类产业资源，推动科技成果转化应用，提供技术研发"
            "转化、性能工艺改进、工艺放大熟化、产品型式试验、产品性能测试、小批量试生产、仪器设备"
            "共享、设备应用验证等专业化服务和系统化解方案；"
            "(2)与高等学校、科研机构、投融资机构、龙头企业等建立稳定的合作关系，建设有高质量科技"
            "成果资源库；具备对技术信息的搜集、筛选、分析、加工能力；可提供技术转让、技术咨询、"
            "技术评估、技术培训、技术产权交易、知识产权运营、技术投融资、技术孵化等服务",
        ],
    ),
    InstitutionType.PUBLIC_SERVICE_PLATFORM: _conditions(
        "PSP",
        "004 §二(二)",
        [
            "经工业和信息化部或四川省经济和信息化厅认定并在有效期内的国家级或省级中小企业公共"
            "服务示范平台",
            "在政策、技术创新、上市辅导、创新成果转化与应用、数字化智能化改造、知识产权应用、"
            "上云用云及工业设计、融资对接、管理咨询、市场开拓、培训、法律维权等方面具有较强服务"
            "能力",
            "具有为国家级专精特新“小巨人”企业，省（市）级“专精特新”中小企业提供相关服务的经验"
            "和案例",
            "从事为中小企业服务的专业人员数量原则上不少于20人",
            "管理健全，服务规范，无不良记录，在相关服务领域有较好声誉，具有良好的可持续发展能力",
        ],
    ),
}

BY_CODE: dict[str, tuple[InstitutionType, Condition]] = {
    c.code: (t, c) for t, conditions in CATALOGUE.items() for c in conditions
}


def mandatory_codes(institution_type: InstitutionType) -> list[str]:
    return [c.code for c in CATALOGUE[institution_type] if c.mandatory]


def unmet(institution_type: InstitutionType, met: set[str]) -> list[Condition]:
    return [c for c in CATALOGUE[institution_type] if c.code not in met]


def qualified(institution_type: InstitutionType, met: set[str]) -> bool:
    return all(not c.mandatory for c in unmet(institution_type, met))
