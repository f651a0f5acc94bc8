"""Unit names of real plans resolved: the plan's own organisation and its internal units,
traditional characters and pinyin noise (issue 19)."""

from gongkai.supervision.resolve import Resolver, key


def test_key_folds_script_and_pinyin():
    assert key("辦公室") == key("办公室")
    assert key("政務(wù)信息中心") == key("政务信息中心")
    assert key("各縣（市、區）政府") == key("各县(市、区)政府")


def test_own_organisation_and_internal_units(org):
    bureau = org("示范市教育局")
    resolver = Resolver(bureau)
    own = resolver.resolve("本单位")
    assert (own.orgs, own.method) == ((bureau,), "self")
    office = resolver.resolve("辦公室")
    assert [o.name for o in office.orgs] == ["示范市教育局办公室"]
    assert office.method == "internal"
    assert resolver.resolve("政策法规科").orgs == (org("示范市教育局政策法规科"),)
    assert not resolver.resolve("财务科").orgs  # no such sub-unit: left to the reviewer


def test_every_internal_unit(org):
    bureau = org("示范市教育局")
    match = Resolver(bureau).resolve("各業務科室")
    assert match.method == "internal"
    assert {o.name for o in match.orgs} == {
        "示范市教育局办公室",
        "示范市教育局政策法规科",
        "示范市教育局基础教育科",
    }


def test_a_far_fetched_candidate_is_not_suggested(org):
    """An internal unit the bureau does not have yet: nothing preselected for a hurried click,
    while a typo of a short name still gets its suggestion."""
    bureau = org("示范市教育局")
    unknown = Resolver(bureau).resolve("政务公开股")
    assert not unknown.orgs and unknown.suggestion is None
    typo = Resolver(org("示范市人民政府")).resolve("市人设局")
    assert not typo.orgs and typo.suggestion.name == "示范市人力资源和社会保障局"
