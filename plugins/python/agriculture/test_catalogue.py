"""The catalogue fits WhatsApp's limits in every language (the same checks as
`mitra plugin test`, natively and before a component is built)."""

import re
import unittest

import rules
from catalogue import DEPARTMENT
from model import T

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


class Catalogue(unittest.TestCase):
    def assert_fits(self, text: T, limit: int, what: str):
        self.assertTrue(text.en.strip(), what)
        self.assertTrue(text.te, f"{what} has no Telugu")
        self.assertTrue(text.hi, f"{what} has no Hindi")
        for value in text:
            self.assertLessEqual(len(value), limit, f"{what}: {value!r} is {len(value)} code points")

    def test_names_titles_and_descriptions_fit_whatsapp_rows(self):
        self.assert_fits(DEPARTMENT.name, 24, "department name")
        self.assertGreaterEqual(len(DEPARTMENT.services), 8)
        for service in DEPARTMENT.services:
            self.assert_fits(service.title, 24, f"{service.id} title")
            self.assert_fits(service.description, 72, f"{service.id} description")

    def test_ids_are_unique_slugs(self):
        ids = [s.id for s in DEPARTMENT.services]
        self.assertEqual(len(ids), len(set(ids)))
        for service in DEPARTMENT.services:
            self.assertRegex(service.id, SLUG)
            fields = [f.id for f in service.form]
            self.assertEqual(len(fields), len(set(fields)), service.id)

    def test_choices_fit_buttons_or_list_rows(self):
        for service in DEPARTMENT.services:
            for field in service.form:
                self.assert_fits(field.label, 1024, f"{service.id}.{field.id}")
                if field.kind != "choice":
                    continue
                self.assertTrue(1 <= len(field.options) <= 10, f"{service.id}.{field.id}")
                limit = 20 if len(field.options) <= 3 else 24
                for option, label in field.options:
                    self.assertRegex(option, SLUG)
                    self.assert_fits(label, limit, f"{service.id}.{field.id}.{option}")

    def test_every_service_has_keywords_in_three_languages(self):
        for service in DEPARTMENT.services:
            for words in service.keywords:
                self.assertTrue(words, service.id)

    def test_every_offered_crop_is_known_to_the_rules(self):
        forms = {s.id: {f.id: f for f in s.form} for s in DEPARTMENT.services}
        seed = [c for c, _ in forms["seed-subsidy"]["crop"].options]
        self.assertEqual(set(seed), set(rules.SEED_RATE_KG))
        msp = [c for c, _ in forms["msp-slot"]["crop"].options]
        self.assertEqual(set(msp), set(rules.MSP))
        implements = [i for i, _ in forms["machinery-subsidy"]["implement"].options]
        self.assertEqual(set(implements), set(rules.IMPLEMENTS))


if __name__ == "__main__":
    unittest.main()
