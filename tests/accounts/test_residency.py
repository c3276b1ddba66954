"""Residency verification by census, by in-person code and by manual approval."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from comuna.accounts import services
from comuna.accounts.models import Census, CensusEntry, Residency, ResidencyRequest, VerificationCode
from comuna.accounts.selectors import is_resident
from comuna.core.errors import Conflict, DomainError, NotAllowed, NotFound

CENSUS = b"document_number,birth_date\n12345678Z,1980-02-29\nX-1234567-L,2001-12-31\n"


def test_residency_counts_in_ancestors_not_siblings(people, tree):
    resident = people["resident"]  # lives in the neighbourhood
    for slug in ["hood", "district", "city", "metro", "region"]:
        assert is_resident(resident, tree[slug]), slug
    assert not is_resident(resident, tree["town"])
    assert not is_resident(people["outsider"], tree["city"])


def test_census_upload_stores_only_salted_hashes(people, tree):
    census = services.do_upload_census(tree["city"], CENSUS, actor=people["admin"])
    assert census.entries == 2
    stored = " ".join(CensusEntry.objects.values_list("digest", flat=True)) + census.salt
    assert "12345678Z" not in stored and "1980-02-29" not in stored
    other = services.do_upload_census(tree["town"], CENSUS, actor=make_admin(tree["town"]))
    assert set(CensusEntry.objects.filter(census=other).values_list("digest", flat=True)).isdisjoint(
        CensusEntry.objects.filter(census=census).values_list("digest", flat=True)), "each census has its own salt"


def make_admin(sphere):
    from conftest import make_person

    return make_person(f"admin-{sphere.slug}@example.org", roles=[(sphere, "admin")], mfa=True)


def test_census_verification_matches_normalised_details(people, tree):
    services.do_upload_census(tree["city"], CENSUS, actor=people["admin"])
    residency = services.do_verify_by_census(people["newcomer"], tree["city"], "x 1234567 l", date(2001, 12, 31))
    assert residency.method == "census" and is_resident(people["newcomer"], tree["city"])
    with pytest.raises(Conflict) as error:  # the same person details cannot verify a second account
        services.do_verify_by_census(people["outsider"], tree["city"], "X1234567L", date(2001, 12, 31))
    assert error.value.code == "census_entry_claimed"
    with pytest.raises(DomainError) as error:
        services.do_verify_by_census(people["outsider"], tree["city"], "12345678Z", date(1980, 3, 1))
    assert error.value.code == "not_in_census"


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        (b"", "census_empty", None),
        (b"name,birth_date\nA,2000-01-01\n", "census_bad_header", 1),
        (b"document_number,birth_date\nA1,2000-01-01\nB2,2000-13-01\n", "census_bad_row", 3),
        (b"document_number,birth_date\nA1,2000-01-01,extra\n", "census_bad_row", 2),
        (b"document_number,birth_date\n,2000-01-01\n", "census_bad_row", 2),
        (b"document_number;birth_date\nA1;2000-01-01\nA1;2000-01-01\n", "census_duplicate", 3),
        (b"document_number,birth_date\n\xff\xfe,2000\n", "census_not_utf8", None),
        (b"document_number,birth_date\n", "census_empty", None),
    ],
)
def test_malformed_census_is_refused_with_its_line_and_changes_nothing(people, tree, content, code, line):
    services.do_upload_census(tree["city"], CENSUS, actor=people["admin"])
    before = list(CensusEntry.objects.values_list("digest", flat=True))
    with pytest.raises(DomainError) as error:
        services.do_upload_census(tree["city"], content, actor=people["admin"])
    assert error.value.code == code
    assert error.value.details.get("line") == line
    if line:
        assert f"Line {line}" in str(error.value.message)
    assert list(CensusEntry.objects.values_list("digest", flat=True)) == before


def test_only_admins_upload_a_census(people, tree):
    for who in ["official", "resident", "moderator"]:
        with pytest.raises(NotAllowed):
            services.do_upload_census(tree["city"], CENSUS, actor=people[who])
    assert not Census.objects.exists()


def test_admin_of_a_city_cannot_upload_for_another(people, tree):
    with pytest.raises(NotAllowed):
        services.do_upload_census(tree["town"], CENSUS, actor=people["admin"])


def test_admin_role_reaches_spheres_below(people, tree):
    services.do_upload_census(tree["district"], CENSUS, actor=people["admin"])
    assert Census.objects.filter(sphere=tree["district"]).exists()


def test_codes_are_one_time_and_hashed(people, tree):
    codes = services.do_issue_codes(tree["hood"], 3, actor=people["official"])
    assert len(set(codes)) == 3
    stored = " ".join(VerificationCode.objects.values_list("digest", flat=True))
    assert all(code.replace("-", "") not in stored for code in codes)
    residency = services.do_redeem_code(people["newcomer"], codes[0].lower())
    assert residency.sphere == tree["hood"] and residency.method == "code"
    with pytest.raises(Conflict) as error:
        services.do_redeem_code(people["outsider"], codes[0])
    assert error.value.code == "code_used"
    assert not is_resident(people["outsider"], tree["hood"])


def test_expired_and_unknown_codes_are_refused(people, tree):
    [code] = services.do_issue_codes(tree["hood"], 1, actor=people["official"])
    VerificationCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DomainError) as error:
        services.do_redeem_code(people["newcomer"], code)
    assert error.value.code == "code_expired"
    with pytest.raises(NotFound) as error:
        services.do_redeem_code(people["newcomer"], "AAAAA-BBBBB")
    assert error.value.code == "code_invalid"
    assert not Residency.objects.filter(user=people["newcomer"]).exists()
    assert VerificationCode.objects.get().used_at is None


def test_residents_cannot_issue_codes(people, tree):
    with pytest.raises(NotAllowed):
        services.do_issue_codes(tree["city"], 5, actor=people["resident"])
    with pytest.raises(DomainError) as error:
        services.do_issue_codes(tree["city"], 5000, actor=people["official"])
    assert error.value.code == "bad_code_count"
    assert not VerificationCode.objects.exists()


def test_officials_need_mfa_to_act(people, tree, settings):
    from allauth.mfa.models import Authenticator

    settings.COMUNA_OFFICIAL_MFA_REQUIRED = True
    Authenticator.objects.filter(user=people["official"]).delete()
    with pytest.raises(NotAllowed) as error:
        services.do_issue_codes(tree["city"], 5, actor=people["official"])
    assert error.value.code == "mfa_required"


def test_manual_request_and_decision(people, tree):
    request = services.do_request_residency(people["newcomer"], tree["city"], "I rent a flat on Main Street.")
    with pytest.raises(Conflict):
        services.do_request_residency(people["newcomer"], tree["city"], "again")
    with pytest.raises(NotAllowed):
        services.do_decide_request(request, approve=True, reason="", actor=people["resident"])
    with pytest.raises(DomainError) as error:
        services.do_decide_request(request, approve=False, reason=" ", actor=people["official"])
    assert error.value.code == "reason_required"
    services.do_decide_request(request, approve=True, reason="", actor=people["official"])
    assert is_resident(people["newcomer"], tree["city"])
    with pytest.raises(Conflict):
        services.do_decide_request(request, approve=False, reason="late", actor=people["official"])
    assert ResidencyRequest.objects.get().status == "approved"
