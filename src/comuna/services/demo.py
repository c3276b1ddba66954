"""Demo data for this app, called once by comuna.demo.load_demo with the demo spheres by slug."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import Datatype, ServiceType

TOULOUSE_SERVICES = [
    {"service_code": "tls-pothole", "name": "Pothole", "name_fr": "Nid-de-poule", "name_es": "Bache", "group": "Streets", "keywords": "road, hole, pavement",
     "description": "A hole in a road, a pavement or a cycle lane.", "agency_responsible": "Voirie, Toulouse",
     "service_notice": "Dangerous holes are made safe within 48 hours, then repaired.", "expected_days": 14,
     "attributes": [{"code": "size", "datatype": Datatype.SINGLEVALUELIST, "required": False,
                     "description": "How big is the hole?",
                     "values": [{"key": "small", "name": "Smaller than a hand"},
                                {"key": "medium", "name": "Like a plate"},
                                {"key": "large", "name": "Bigger than a tyre"}]}]},
    {"service_code": "tls-lighting", "name": "Street lighting out", "name_fr": "Éclairage public en panne", "name_es": "Alumbrado público apagado", "group": "Streets",
     "keywords": "lamp, light, dark", "description": "A street lamp that is off, blinking or damaged.",
     "agency_responsible": "Éclairage public, Toulouse", "expected_days": 7,
     "attributes": [{"code": "pole_number", "datatype": Datatype.STRING, "required": False,
                     "description": "Number written on the pole, if you can read it"}]},
    {"service_code": "tls-graffiti", "name": "Graffiti or posters", "name_fr": "Tags ou affiches", "name_es": "Pintadas o carteles", "group": "Cleanliness",
     "keywords": "tag, graffiti, poster", "description": "Tags, graffiti or fly-posting on a public or private wall.",
     "agency_responsible": "Propreté urbaine, Toulouse", "expected_days": 10,
     "attributes": [{"code": "surface", "datatype": Datatype.MULTIVALUELIST, "required": False,
                     "description": "On what?", "values": [{"key": "wall", "name": "Wall"},
                                                          {"key": "shutter", "name": "Shop shutter"},
                                                          {"key": "street_furniture", "name": "Street furniture"}]}]},
    {"service_code": "tls-bulky", "name": "Bulky waste collection", "name_fr": "Collecte des encombrants", "name_es": "Recogida de voluminosos", "group": "Cleanliness", "type": ServiceType.BATCH,
     "keywords": "furniture, mattress, appliance", "agency_responsible": "Collecte des déchets, Toulouse Métropole",
     "description": "Ask for bulky items (furniture, mattresses, appliances) to be collected outside your door.",
     "service_notice": "You will be given a collection day; put the items out the evening before.",
     "expected_days": 10,
     "attributes": [{"code": "volume_m3", "datatype": Datatype.NUMBER, "required": True,
                     "description": "Roughly how many cubic metres?",
                     "datatype_description": "A number, e.g. 1.5 (a mattress is about 0.5)"},
                    {"code": "items", "datatype": Datatype.TEXT, "required": True,
                     "description": "What is to be collected?"}]},
]

REQUESTS = [
    # service, days ago, address, lat, long, description, attributes, status, note, author
    ("tls-pothole", 2, "Rue de Metz, near the Pont Neuf, 31000 Toulouse", 43.6001, 1.4412,
     "A deep hole in the cycle lane, cyclists swerve into the traffic.", {"size": "large"}, "open", "",
     "lea@demo.comuna.city"),
    ("tls-lighting", 5, "Allées Jean Jaurès, 31000 Toulouse", 43.6075, 1.4487,
     "Three lamps in a row are off since last week.", {"pole_number": "JJ-114"}, "open",
     "A technician is planned for Thursday night.", "hugo@demo.comuna.city"),
    ("tls-graffiti", 9, "Place Saint-Cyprien, 31300 Toulouse", 43.5983, 1.4310,
     "Tags on the shutters of the closed shops.", {"surface": ["shutter"]}, "closed",
     "Cleaned on Tuesday morning. Thank you for the report.", "amina@demo.comuna.city"),
    ("tls-bulky", 1, "12 rue des Lois, 31000 Toulouse", None, None,
     "An old wardrobe and a mattress after a move.", {"volume_m3": "2", "items": "A wardrobe and a mattress"},
     "open", "", "lea@demo.comuna.city"),
    ("tls-pothole", 20, "Boulevard de Strasbourg at Rue Bayard, 31000 Toulouse", 43.6078, 1.4493,
     "A sunken manhole cover at the crossing.", {"size": "medium"}, "closed",
     "Repaired by the road team; the cover was levelled.", "hugo@demo.comuna.city"),
]


def load_demo(spheres: dict) -> None:
    from comuna.accounts.models import User

    from . import services
    from .models import RequestNote, RequestStatus, ServiceRequest

    toulouse = spheres["toulouse"]
    catalogue = {}
    for spec in TOULOUSE_SERVICES:
        spec = dict(spec)
        attributes = [dict(attribute) for attribute in spec.pop("attributes")]
        service = services.do_create_service(None, toulouse, attributes=attributes, **spec)
        catalogue[service.service_code] = service
    official = User.objects.filter(email="official@demo.comuna.city").first()
    now = timezone.now()
    for code, days, address, lat, long, text, attributes, status, note, email in REQUESTS:
        author = User.objects.filter(email=email).first()
        report = services.Report(description=text, address=address, lat=lat, long=long,
                                 attributes={key: value if isinstance(value, list) else [value]
                                             for key, value in attributes.items()},
                                 email=email)
        item = services.do_submit_request(catalogue[code], report, author=author)
        moment = now - timedelta(days=days)
        ServiceRequest.objects.filter(pk=item.pk).update(requested_at=moment, updated_at=moment + timedelta(hours=3),
                                                         assigned_to=official if note else None,
                                                         status=status, status_notes=note)
        if note:
            RequestNote.objects.create(request=item, author=official, text=note, created_at=moment + timedelta(hours=3),
                                       status=status if status == RequestStatus.CLOSED else "", assigned_to=official)
