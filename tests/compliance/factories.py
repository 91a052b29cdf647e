import datetime

import factory

from accounts.models import Role, User
from compliance.models import SanctionCase
from compliance.states import Category
from tests.registry.factories import EmployerFactory
from workplan.models import Institution, Organization


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("short_name",)

    short_name = factory.Sequence(lambda n: f"Unit{n}")
    name = factory.LazyAttribute(lambda o: f"Unit kerja {o.short_name}")
    institution = Institution.PEMPROV
    kind = Organization.Kind.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.DINAS_STAFF
    organization = factory.SubFactory(OrganizationFactory)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SanctionCase

    employer = factory.SubFactory(EmployerFactory)
    category = Category.PWBD
    opened_on = datetime.date(2025, 6, 2)
