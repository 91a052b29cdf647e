import factory

from registry.models import Employer, Region


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"PT Sumber Makmur {n}")
    npp = factory.Sequence(lambda n: f"JJ{n:06d}")
    address = "Jalan Jenderal Sudirman No. 1"
    region = factory.LazyFunction(lambda: Region.objects.get(kode_bps="3171"))
