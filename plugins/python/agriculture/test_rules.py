"""Unit tests of the rules, run natively: `python3 -m unittest` in this folder."""

import unittest
from datetime import date, timedelta

import rules
from model import InvalidInput, T

TODAY = date(2026, 11, 22)


def farmer(**extra) -> dict:
    record = {
        "name": "Lakshmi Reddy",
        "village": "Gollapudi",
        "mandal": "Vijayawada Rural",
        "ekyc": True,
        "ecrop": [
            {"season": "kharif", "year": "2026", "survey": "123/2A", "crop": "paddy", "variety": "BPT 5204",
             "acres": 1.5, "sown_on": "2026-07-01", "booked_on": "2026-07-10", "vaa_verified": True},
            {"season": "rabi", "year": "2025-26", "survey": "123/2A", "crop": "bengalgram", "variety": "JG 11",
             "acres": 1.5, "sown_on": "2025-11-10", "booked_on": "2025-11-20", "vaa_verified": False},
        ],
        "procured": {"paddy": 20.0},
        "machinery": [{"implement": "power-tiller", "year": 2023}],
    }
    record.update(extra)
    return record


def assert_translated(test: unittest.TestCase, reasons):
    test.assertTrue(reasons)
    for reason in reasons:
        test.assertIsInstance(reason, T)
        test.assertTrue(reason.en and reason.te and reason.hi, reason)


class CropInsurance(unittest.TestCase):
    def test_a_notified_crop_with_heavy_loss_reported_in_time_is_eligible(self):
        self.assertEqual(rules.insurance_reasons("paddy", "kharif", 60, "flood", TODAY - timedelta(days=2), TODAY), [])

    def test_a_crop_not_notified_for_the_season_is_refused(self):
        reasons = rules.insurance_reasons("cotton", "rabi", 60, "pests", TODAY, TODAY)
        assert_translated(self, reasons)
        self.assertIn("not a notified crop for Rabi", reasons[0].en)

    def test_a_loss_below_a_third_is_refused(self):
        reasons = rules.insurance_reasons("paddy", "kharif", 32, "drought", TODAY, TODAY)
        assert_translated(self, reasons)
        self.assertIn("33%", reasons[0].en)
        self.assertEqual(rules.insurance_reasons("paddy", "kharif", 33, "drought", TODAY, TODAY), [])

    def test_localised_losses_must_be_reported_within_72_hours(self):
        late = TODAY - timedelta(days=4)
        assert_translated(self, rules.insurance_reasons("paddy", "kharif", 50, "hailstorm", late, TODAY))
        # Drought and pests are assessed area-wide: no 72-hour window.
        self.assertEqual(rules.insurance_reasons("paddy", "kharif", 50, "drought", late, TODAY), [])

    def test_every_reason_is_given_at_once(self):
        reasons = rules.insurance_reasons("other", "kharif", 10, "cyclone", TODAY - timedelta(days=10), TODAY)
        self.assertEqual(len(reasons), 3)

    def test_only_crops_booked_in_ecrop_are_covered(self):
        self.assertEqual(rules.ecrop_reasons(farmer(), "paddy", "kharif"), [])
        assert_translated(self, rules.ecrop_reasons(farmer(), "paddy", "rabi"))
        assert_translated(self, rules.ecrop_reasons(farmer(ecrop=[]), "paddy", "kharif"))


class Seed(unittest.TestCase):
    def test_small_farmers_get_90_percent_and_others_50(self):
        self.assertEqual(rules.seed_subsidy_percent(5), 90)
        self.assertEqual(rules.seed_subsidy_percent(0.5), 90)
        self.assertEqual(rules.seed_subsidy_percent(5.01), 50)

    def test_the_quote_splits_the_price(self):
        quote = rules.seed_quote("groundnut", 2, 200)
        self.assertEqual(quote, {"full": 18_400, "percent": 90, "subsidy": 16_560.0, "farmer_pays": 1_840.0})
        self.assertEqual(rules.seed_quote("paddy", 8, 100)["farmer_pays"], 2_100.0)

    def test_seed_is_limited_to_the_seed_rate_of_the_land(self):
        self.assertEqual(rules.seed_reasons("groundnut", "kharif", 2, 200), [])
        reasons = rules.seed_reasons("groundnut", "kharif", 2, 201)
        assert_translated(self, reasons)
        self.assertIn("at most 200 kg", reasons[0].en)

    def test_seed_out_of_season_is_refused(self):
        assert_translated(self, rules.seed_reasons("bengalgram", "kharif", 1, 10))
        self.assertEqual(rules.seed_reasons("bengalgram", "rabi", 1, 10), [])


class Msp(unittest.TestCase):
    def test_dry_produce_on_a_date_within_the_window_is_accepted(self):
        self.assertEqual(rules.msp_slot_reasons("paddy-common", 20, 16.5, TODAY, TODAY), [])
        self.assertEqual(rules.msp_slot_reasons("paddy-common", 20, 17, TODAY + timedelta(days=14), TODAY), [])

    def test_wet_produce_is_refused(self):
        reasons = rules.msp_slot_reasons("paddy-grade-a", 20, 19, TODAY, TODAY)
        assert_translated(self, reasons)
        self.assertIn("17%", reasons[0].en)
        assert_translated(self, rules.msp_slot_reasons("maize", 20, 15, TODAY, TODAY))

    def test_slots_are_today_up_to_two_weeks_ahead(self):
        assert_translated(self, rules.msp_slot_reasons("maize", 20, 12, TODAY - timedelta(days=1), TODAY))
        assert_translated(self, rules.msp_slot_reasons("maize", 20, 12, TODAY + timedelta(days=15), TODAY))

    def test_the_quota_is_booked_acres_times_yield_less_what_was_sold(self):
        self.assertEqual(rules.msp_quota(farmer(), "paddy-common"), 25.0)  # 1.5 × 30 − 20
        self.assertEqual(rules.msp_quota(farmer(), "bengalgram"), 12.0)  # 1.5 × 8
        self.assertEqual(rules.msp_quota(farmer(procured={"paddy": 90}), "paddy-common"), 0.0)

    def test_selling_more_than_the_quota_is_refused(self):
        self.assertEqual(rules.msp_quota_reasons(farmer(), "paddy-common", 25), [])
        reasons = rules.msp_quota_reasons(farmer(), "paddy-common", 30)
        assert_translated(self, reasons)
        self.assertIn("25 more quintals", reasons[0].en)
        # Nothing booked: the e-Crop reason, not a quota of zero.
        self.assertIn("e-Crop", rules.msp_quota_reasons(farmer(), "jowar", 1)[0].en)


class Machinery(unittest.TestCase):
    def test_sc_st_women_and_small_farmers_get_50_percent(self):
        self.assertEqual(rules.machinery_subsidy_percent("sc", False, 20), 50)
        self.assertEqual(rules.machinery_subsidy_percent("oc", True, 20), 50)
        self.assertEqual(rules.machinery_subsidy_percent("bc", False, 4), 50)
        self.assertEqual(rules.machinery_subsidy_percent("oc", False, 20), 40)

    def test_the_subsidy_stops_at_the_ceiling(self):
        self.assertEqual(rules.machinery_subsidy("battery-sprayer", 50), 2_250)
        self.assertEqual(rules.machinery_subsidy("rotavator", 50), 50_400)  # 57,500 capped

    def test_tractor_drawn_implements_need_a_tractor(self):
        assert_translated(self, rules.machinery_reasons("rotavator", False, 3))
        self.assertEqual(rules.machinery_reasons("rotavator", True, 3), [])
        self.assertEqual(rules.machinery_reasons("power-weeder", False, 3), [])

    def test_the_same_implement_is_subsidised_once_in_five_years(self):
        reasons = rules.machinery_history_reasons(farmer(), "power-tiller", 2026)
        assert_translated(self, reasons)
        self.assertIn("from 2028", reasons[0].en)
        self.assertEqual(rules.machinery_history_reasons(farmer(), "power-tiller", 2028), [])
        self.assertEqual(rules.machinery_history_reasons(farmer(), "seed-drill", 2026), [])


CARD = {
    "card": "AP/NTR/2025/004512", "farmer": "Lakshmi Reddy", "survey": "123/2A", "village": "Gollapudi",
    "mandal": "Vijayawada Rural", "sampled_on": "2025-12-01", "ph": 8.6, "ec": 0.42, "oc": 0.41,
    "n": 212, "p": 18.5, "k": 310, "s": 9.2, "zn": 0.48, "b": 0.72, "fe": 6.1,
}


class SoilCard(unittest.TestCase):
    def test_levels_follow_the_soil_health_card_ranges(self):
        self.assertEqual(rules.level(212, 280, 560), "low")
        self.assertEqual(rules.level(280, 280, 560), "medium")
        self.assertEqual(rules.level(561, 280, 560), "high")

    def test_fertiliser_follows_the_soil_test(self):
        # N low: 48 × 1.25 / 0.46; P medium: 24 / 0.16; K high: 16 × 0.75 / 0.60.
        self.assertEqual(rules.fertiliser_per_acre(CARD), {"n": 130, "p": 150, "k": 20})

    def test_the_card_reads_levels_in_every_language_and_adds_remedies(self):
        summary, rows = rules.soil_card_rows(CARD)
        self.assertEqual(summary.en, "Soil card AP/NTR/2025/004512: pH 8.6 (alkaline), N low, P medium, K high")
        self.assertIn("తక్కువ", summary.te)
        labels = [label.en for label, _ in rows]
        self.assertIn("Nitrogen (N): low", labels)
        self.assertIn("Zinc sulphate per acre", labels)  # Zn 0.48 is low
        self.assertIn("Gypsum per acre", labels)  # pH above 8.5
        self.assertNotIn("Borax per acre", labels)  # B 0.72 is medium
        self.assertIn(("Sampled on", "01-12-2025"), [(label.en, value) for label, value in rows])


class Lookups(unittest.TestCase):
    def test_rythu_bharosa_counts_only_credited_instalments(self):
        payments = {
            "year": "2026-27", "name": "Lakshmi Reddy", "village": "Nunna", "bank": "SBI XXXXXX1234", "ekyc": False,
            "instalments": [
                {"number": 1, "scheme": "state", "amount": 5500, "due_on": "2026-06-01", "status": "credited",
                 "credited_on": "2026-06-02", "reason": None},
                {"number": 1, "scheme": "pm-kisan", "amount": 2000, "due_on": "2026-06-20", "status": "withheld",
                 "credited_on": None, "reason": "e-KYC pending"},
                {"number": 3, "scheme": "pm-kisan", "amount": 2000, "due_on": "2027-02-15", "status": "scheduled",
                 "credited_on": None, "reason": None},
            ],
        }
        summary, rows = rules.rythu_bharosa_rows(payments)
        self.assertEqual(summary.en, "₹5,500 of ₹9,500 credited for 2026-27")
        self.assertIn(("Instalment 1 – PM-KISAN: withheld", "₹2,000 · e-KYC pending"), [(l.en, v) for l, v in rows])
        self.assertIn("పీఎం-కిసాన్", rows[4][0].te)
        self.assertEqual(rows[2][1], "pending")
        self.assertIn("RSK", rows[2][0].te)

    def test_ecrop_status_lists_the_seasons_bookings(self):
        summary, rows = rules.ecrop_rows(farmer(), "kharif")
        self.assertEqual(summary.en, "1 field(s), 1.5 acres booked in e-Crop for Kharif 2026")
        self.assertEqual(rows[1][0].te, "సర్వే 123/2A – వరి (ధృవీకరించారు)")
        self.assertEqual(rules.ecrop_rows(farmer(ecrop=[]), "rabi")[0].en, "No e-Crop booking for Rabi")

    def test_weather_advice_follows_the_forecast(self):
        def day(n, rain=0.0, tmax=32.0, rh=60, wind=10):
            return {"date": f"2026-11-2{n}", "rain_mm": rain, "tmax": tmax, "tmin": tmax - 9, "rh": rh, "wind_kmph": wind}

        dry = rules.advisories([day(n) for n in range(3, 8)])
        self.assertEqual([v for _, v in dry], ["0 mm"])
        stormy = rules.advisories([day(3), day(4, rain=45.5, rh=90, wind=35), day(5, tmax=41)])
        self.assertEqual([v for _, v in stormy], ["24-11-2026: 45.5 mm", "25-11-2026: 41°C", "24-11-2026: 35 km/h", "24-11-2026: RH 90%"])
        for advice, _ in stormy:
            self.assertTrue(advice.te and advice.hi)


class Helpers(unittest.TestCase):
    def test_rupees_use_indian_grouping(self):
        self.assertEqual(rules.rupees(13500), "₹13,500")
        self.assertEqual(rules.rupees(123456.5), "₹1,23,456.50")
        self.assertEqual(rules.rupees(100), "₹100")
        self.assertEqual(rules.rupees(12345678), "₹1,23,45,678")

    def test_aadhaar_is_masked_to_its_last_four_digits(self):
        self.assertEqual(rules.mask_aadhaar("499112345677"), "XXXX XXXX 5677")

    def test_missing_or_mistyped_answers_are_invalid_input(self):
        answers = rules.Answers({"crop": "paddy", "acres": 2.0, "on": "2026-02-30"})
        self.assertEqual(answers.text("crop"), "paddy")
        self.assertEqual(answers.number("acres"), 2.0)
        with self.assertRaises(InvalidInput):
            answers.text("season")
        with self.assertRaises(InvalidInput):
            answers.number("crop")
        with self.assertRaises(InvalidInput):
            answers.date("on")


if __name__ == "__main__":
    unittest.main()
