"""The pages residents and staff use for residency and roles."""

from django.core import mail

from comuna.accounts.models import Census, Residency, ResidencyRequest, RoleAssignment, VerificationCode


def test_signup_requires_email_verification(client, db):
    response = client.post("/accounts/signup/", {"email": "new@example.org", "password1": "correct horse battery",
                                                 "password2": "correct horse battery"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "new@example.org" in mail.outbox[0].to
    login = client.post("/accounts/login/", {"login": "new@example.org", "password": "correct horse battery"})
    assert login.status_code == 302 and "confirm-email" in login["Location"]
    assert "_auth_user_id" not in client.session


def test_resident_requests_then_official_approves(signed_in, people, tree):
    client = signed_in(people["newcomer"])
    response = client.post("/spheres/city/residency/", {"method": "request", "message": "I live on Main Street."},
                           follow=True)
    assert "Your request was sent" in response.content.decode()
    request = ResidencyRequest.objects.get()
    client = signed_in(people["official"])
    desk = client.get("/spheres/city/manage/").content.decode()
    assert "I live on Main Street." in desk
    client.post("/spheres/city/manage/", {"action": "approve", "request": request.pk})
    assert Residency.objects.filter(user=people["newcomer"], sphere=tree["city"]).exists()


def test_official_issues_codes_shown_once_and_resident_redeems(signed_in, people, tree):
    client = signed_in(people["official"])
    page = client.post("/spheres/city/manage/", {"action": "codes", "count": 2, "valid_days": 10}).content.decode()
    assert VerificationCode.objects.count() == 2
    import re

    codes = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", page)
    assert len(codes) == 2
    assert codes[0] not in client.get("/spheres/city/manage/").content.decode()
    client = signed_in(people["newcomer"])
    response = client.post("/me/verify/", {"code": codes[0]}, follow=True)
    assert "You are now a verified resident of City" in response.content.decode()
    again = signed_in(people["outsider"]).post("/me/verify/", {"code": codes[0]}, follow=True)
    assert "already been used" in again.content.decode()


def test_bad_census_upload_shows_the_line_in_french(signed_in, people, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(people["admin"])
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    upload = SimpleUploadedFile("census.csv", b"document_number,birth_date\nA1,1990-02-31\n", "text/csv")
    response = client.post("/spheres/city/manage/", {"action": "census", "file": upload}, follow=True)
    assert "Ligne 2" in response.content.decode()
    assert not Census.objects.exists()


def test_staff_desk_is_closed_to_residents(signed_in, people, tree):
    response = signed_in(people["resident"]).get("/spheres/city/manage/")
    assert response.status_code == 403
    response = signed_in(people["resident"]).post("/spheres/city/manage/", {"action": "grant",
                                                  "email": "resident@example.org", "role": "admin"})
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=people["resident"]).exists()


def test_moderator_sees_desk_but_cannot_grant(signed_in, people, tree):
    client = signed_in(people["moderator"])
    response = client.post("/spheres/city/manage/", {"action": "grant", "email": "resident@example.org",
                                                     "role": "admin"}, follow=True)
    assert "Only an admin of this sphere can grant roles" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=people["resident"]).exists()


def test_api_token_is_shown_once(signed_in, people):
    client = signed_in(people["resident"])
    page = client.post("/me/tokens/", {"name": "script"}).content.decode()
    assert "cmn_" in page
    assert "cmn_" not in client.get("/me/").content.decode()


def test_writes_are_rate_limited(signed_in, people, tree):
    client = signed_in(people["newcomer"])
    statuses = [client.post("/me/verify/", {"code": "AAAAA-BBBBB"}).status_code for _ in range(12)]
    assert statuses[:10] == [302] * 10 and statuses[-1] == 429
