"""The ship rule of ``DECISION-1.14.0.md`` (A-C), from the files ``evaluate-candidate.sh`` writes; D (speed) is measured
with ``npm run bench -- inference``.

* A. powered superiority on real CT: MA20 clean validation patient, lesion per-slice Dice with the decision rule, paired
  95 % interval entirely above 0 (``ma20_exposure`` rows);
* B. no harm on the 3-class split: MedSeg validation, decision rule, Inf-Net style, GGO / HO / lesion: no paired interval
  entirely below 0 (``paired_compare`` rows); MedSeg lesion (argmax) at least the reference's minus ``LESION_MARGIN``;
* C. no harm on the HU path: synthetic volumes, decision rule + z, GGO / HO / lesion per-volume Dice: no paired interval
  entirely below 0; lesion-free real series (``LESION_FREE``) at most ``MAX_LESION_FREE_BURDEN`` % burden.

:func:`decide_1_15` is the rule of ``DECISION-1.15.0.md``, for a candidate whose change acts on large 8-bit slices
(the antialiased resize) and not on the MA20 slices: superiority moves to MedSeg lesion, MA20 becomes non-inferiority
within ``NONINFERIORITY_MARGIN``, and C adds the synthetic volumes rendered as full-size 8-bit slices.

:func:`decide_1_16` is the rule of ``DECISION-1.16.0.md``, for a candidate whose change acts on other sites' display
curves: superiority on the app path's CLAHE-like stress variant of the MA20 clean patient (``stress_by_exposure --json``
rows), no harm on the display-gamma variants, MedSeg and the synthetic sets; MA20 unaltered non-inferior.
"""
from __future__ import annotations

LESION_MARGIN = 0.03
NONINFERIORITY_MARGIN = 0.01
SYNTH_SET = "Synthetic volumes (decision rule + z)"
SYNTH8_SET = "Synthetic volumes as full-size 8-bit slices (mirror + rule)"
MAX_LESION_FREE_BURDEN = 1.0
LESION_FREE = ("lidc-idri-0001", "rider-1225316081")
STRESS_CLAHE = "CLAHE-like local contrast"
STRESS_GAMMAS = ("display gamma 0.7", "display gamma 1.4")
STRESS_AS_IS = "as is"
STRESS_AS_IS_MARGIN = 0.02
STRESS_HALF_RES = "half resolution and back"
CLASSES = ("ggo", "ho", "lesion")


def _ci(r: dict) -> str:
    return f"{r['diff']:+.4f} [{r['ci95'][0]:+.4f}, {r['ci95'][1]:+.4f}]"


def _rows(rows: list[dict], set_name: str) -> dict[str, dict]:
    return {c: r for r in rows if r["set"] == set_name for c in CLASSES if r["metric"].startswith(f"{c} ")}


def _no_harm(rows: dict[str, dict], label: str, ok: list[bool], out: list[str],
             classes: tuple[str, ...] = CLASSES) -> None:
    """Per class: passes when its paired interval does not lie entirely below 0 (a missing row fails)."""
    for c in classes:
        ok.append(c in rows and rows[c]["ci95"][1] >= 0)
        out.append(f"{label.format(c)}: {_ci(rows[c]) if c in rows else 'missing'}: {'PASS' if ok[-1] else 'FAIL'}")


def _ma20_clean_non_inferior(exposure: list[dict], ok: list[bool], out: list[str]) -> None:
    """Criterion A since 1.15.0: the MA20 clean patient's lesion (rule), lower bound above ``-NONINFERIORITY_MARGIN``."""
    a = [r for r in exposure if r["rule"] == "decision rule" and r["subset"].startswith("clean patient")]
    ok.append(len(a) == 1 and a[0]["ci95"][0] > -NONINFERIORITY_MARGIN)
    out.append(f"A MA20 clean patient lesion (rule), lower bound > -{NONINFERIORITY_MARGIN}: "
               f"{_ci(a[0]) if a else 'missing'}: {'PASS' if ok[-1] else 'FAIL'}")


def _medseg_superior(medseg: dict[str, dict], cls: str, criterion: str, ok: list[bool], out: list[str]) -> None:
    """One MedSeg class (rule, Inf-Net style) superior: paired lower bound above 0."""
    ok.append(cls in medseg and medseg[cls]["ci95"][0] > 0)
    out.append(f"{criterion} MedSeg {cls} (rule, Inf-Net style) above 0: "
               f"{_ci(medseg[cls]) if cls in medseg else 'missing'}: {'PASS' if ok[-1] else 'FAIL'}")


def _criterion_d_and_verdict(cand: dict, synth: list[dict], synth8: list[dict], ok: list[bool],
                             out: list[str]) -> list[str]:
    """D (synthetic HU and 8-bit no harm, lesion-free series under 1 %) and the A-D verdict line."""
    _no_harm(_rows(synth, SYNTH_SET), "D synthetic {} per volume (rule + z)", ok, out)
    _no_harm(_rows(synth8, SYNTH8_SET), "D synthetic as 8-bit slices {} per volume (mirror + rule)", ok, out)
    _lesion_free(cand, ok, out, "D")
    out.append("A-D PASS: ships if E (speed, npm run bench -- inference) holds" if all(ok)
               else f"A-D FAIL ({ok.count(False)} criteria): does not ship")
    return out


def decide(ref: dict, cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict]) -> list[str]:
    """Lines: one per criterion with PASS/FAIL, then the verdict. A criterion whose rows are missing fails."""
    out, ok = [], []
    a = [r for r in exposure if r["rule"] == "decision rule" and r["subset"].startswith("clean patient")]
    ok.append(len(a) == 1 and a[0]["ci95"][0] > 0)
    out.append(f"A MA20 clean patient lesion (rule): {_ci(a[0]) if a else 'missing'}: {'PASS' if ok[-1] else 'FAIL'}")
    _no_harm(_rows(paired, "MedSeg val (decision rule), Inf-Net style"), "B MedSeg {} (rule, Inf-Net style)", ok, out)
    floor = ref["medseg"]["dice_lesion"] - LESION_MARGIN
    ok.append(cand["medseg"]["dice_lesion"] >= floor)
    out.append(f"B MedSeg lesion (argmax) {cand['medseg']['dice_lesion']:.4f} >= {floor:.4f}: {'PASS' if ok[-1] else 'FAIL'}")
    _no_harm(_rows(synth, SYNTH_SET), "C synthetic {} per volume (rule + z)", ok, out)
    _lesion_free(cand, ok, out)
    return _verdict(ok, out)


def _lesion_free(cand: dict, ok: list[bool], out: list[str], criterion: str = "C") -> None:
    real = cand.get("real_ct", {})
    for s in LESION_FREE:
        b = real.get(s, {}).get("post", {}).get("burden_pct")
        ok.append(b is not None and b <= MAX_LESION_FREE_BURDEN)
        out.append(f"{criterion} {s} burden (rule + z) {b} % <= {MAX_LESION_FREE_BURDEN} %: {'PASS' if ok[-1] else 'FAIL'}")


def _verdict(ok: list[bool], out: list[str]) -> list[str]:
    out.append("A-C PASS: ships if D (speed, npm run bench -- inference) holds" if all(ok)
               else f"A-C FAIL ({ok.count(False)} criteria): does not ship")
    return out


def decide_1_15(cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict], synth8: list[dict]) -> list[str]:
    """``DECISION-1.15.0.md``: A MA20 clean patient non-inferior (paired lower bound above ``-NONINFERIORITY_MARGIN``);
    B MedSeg lesion (rule, Inf-Net style) superior (lower bound above 0), GGO and HO no harm; C no harm on the synthetic
    volumes (HU, rule + z) and on their full-size 8-bit renderings (mirror + rule), lesion-free series under 1 %."""
    out: list[str] = []
    ok: list[bool] = []
    _ma20_clean_non_inferior(exposure, ok, out)
    medseg = _rows(paired, "MedSeg val (decision rule), Inf-Net style")
    _medseg_superior(medseg, "lesion", "B", ok, out)
    _no_harm(medseg, "B MedSeg {} (rule, Inf-Net style)", ok, out, classes=("ggo", "ho"))
    _no_harm(_rows(synth, SYNTH_SET), "C synthetic {} per volume (rule + z)", ok, out)
    _no_harm(_rows(synth8, SYNTH8_SET), "C synthetic as 8-bit slices {} per volume (mirror + rule)", ok, out)
    _lesion_free(cand, ok, out)
    return _verdict(ok, out)


def decide_1_16(cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict], synth8: list[dict],
                stress: list[dict]) -> list[str]:
    """``DECISION-1.16.0.md``: A MA20 clean patient non-inferior (as 1.15.0's A); B on the app path's stress rows of the
    MA20 clean patient: CLAHE-like superior (lower bound above 0), display gamma 0.7 / 1.4 no harm, unaltered lower
    bound above ``-STRESS_AS_IS_MARGIN``; C MedSeg GGO / HO / lesion no harm; D synthetic HU and 8-bit no harm and the
    lesion-free series under 1 %."""
    return _decide_with_stress(cand, paired, exposure, synth, synth8, stress, (STRESS_CLAHE,), STRESS_GAMMAS)


def _stress(stress: list[dict], superior: tuple[str, ...], no_harm: tuple[str, ...], ok: list[bool],
            out: list[str], no_harm_margin: float | None = None) -> None:
    """Criterion B on the MA20 clean patient's app-path stress rows: each ``superior`` variant's lower bound above 0,
    no ``no_harm`` variant's interval entirely below 0 (or, with ``no_harm_margin``, its lower bound above minus that
    margin: non-inferiority), the unaltered slices' lower bound above ``-STRESS_AS_IS_MARGIN``."""
    clean = {r["variant"]: r for r in stress if r["subset"] == "MA20 clean patient"}
    checks: list[tuple[str, float | None, bool]] = [(v, 0.0, True) for v in superior]
    checks += [(v, None, False) if no_harm_margin is None else (v, -no_harm_margin, True) for v in no_harm]
    checks.append((STRESS_AS_IS, -STRESS_AS_IS_MARGIN, True))
    for variant, floor, strict in checks:
        r = clean.get(variant)
        ok.append(r is not None and (r["ci95"][0] > floor if strict else r["ci95"][1] >= 0))
        what = f"lower bound > {floor:+.2f}" if strict else "no harm"
        out.append(f"B stress, MA20 clean patient, {variant} (app path), {what}: {_ci(r) if r else 'missing'}: "
                   f"{'PASS' if ok[-1] else 'FAIL'}")


def decide_1_17(cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict], synth8: list[dict],
                stress: list[dict]) -> list[str]:
    """``DECISION-1.17.0.md``: as :func:`decide_1_16`, with B's superiority on "half resolution and back" and the
    CLAHE-like local contrast joining the display gammas as no harm (1.16.0's gain must be kept)."""
    return _decide_with_stress(cand, paired, exposure, synth, synth8, stress, (STRESS_HALF_RES,),
                               (STRESS_CLAHE, *STRESS_GAMMAS))


def decide_1_19(cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict], synth8: list[dict],
                stress: list[dict]) -> list[str]:
    """``DECISION-1.19.0.md``: as :func:`decide_1_17`, except that the display variants of B (CLAHE-like, gamma 0.7 /
    1.4) are non-inferiority rows with the unaltered row's margin (lower bound above ``-STRESS_AS_IS_MARGIN``) instead
    of "no interval entirely below 0", which a precise paired measurement fails on differences of 0.006."""
    return _decide_with_stress(cand, paired, exposure, synth, synth8, stress, (STRESS_HALF_RES,),
                               (STRESS_CLAHE, *STRESS_GAMMAS), no_harm_margin=STRESS_AS_IS_MARGIN)


def _decide_with_stress(cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict], synth8: list[dict],
                        stress: list[dict], superior: tuple[str, ...], no_harm: tuple[str, ...],
                        no_harm_margin: float | None = None) -> list[str]:
    """A MA20 clean patient non-inferior; B the app-path stress rows (:func:`_stress`); C MedSeg no harm; D synthetic HU
    and 8-bit no harm, lesion-free series under 1 %."""
    out: list[str] = []
    ok: list[bool] = []
    _ma20_clean_non_inferior(exposure, ok, out)
    _stress(stress, superior, no_harm, ok, out, no_harm_margin)
    _no_harm(_rows(paired, "MedSeg val (decision rule), Inf-Net style"), "C MedSeg {} (rule, Inf-Net style)", ok, out)
    return _criterion_d_and_verdict(cand, synth, synth8, ok, out)


def decide_1_18_sizes(cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict], synth8: list[dict],
                      stress: list[dict]) -> list[str]:
    """``DECISION-1.18.0-sizes.md`` (the multi-scale accurate candidate): A MA20 clean patient non-inferior; B the app-path
    stress rows of the clean patient, CLAHE-like, display gammas and half resolution no harm, unaltered lower bound above
    ``-STRESS_AS_IS_MARGIN``; C MedSeg GGO (rule, Inf-Net style) superior (lower bound above 0), HO and lesion no harm;
    D synthetic HU and 8-bit no harm, lesion-free series under 1 %."""
    return _decide_medseg_ggo_superior(cand, paired, exposure, synth, synth8, stress, None)


def decide_1_20(cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict], synth8: list[dict],
                stress: list[dict]) -> list[str]:
    """``DECISION-1.20.0.md`` (MedSeg trained at the scale it is run at): as :func:`decide_1_18_sizes`, with every
    display stress row and "half resolution and back" (1.19.0's gain) non-inferior within ``STRESS_AS_IS_MARGIN``."""
    return _decide_medseg_ggo_superior(cand, paired, exposure, synth, synth8, stress, STRESS_AS_IS_MARGIN)


def _decide_medseg_ggo_superior(cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict],
                                synth8: list[dict], stress: list[dict], no_harm_margin: float | None) -> list[str]:
    """A; B with no superior stress row; C MedSeg GGO superior, HO and lesion no harm; D and the verdict."""
    out: list[str] = []
    ok: list[bool] = []
    _ma20_clean_non_inferior(exposure, ok, out)
    _stress(stress, (), (STRESS_CLAHE, *STRESS_GAMMAS, STRESS_HALF_RES), ok, out, no_harm_margin)
    medseg = _rows(paired, "MedSeg val (decision rule), Inf-Net style")
    _medseg_superior(medseg, "ggo", "C", ok, out)
    _no_harm(medseg, "C MedSeg {} (rule, Inf-Net style)", ok, out, classes=("ho", "lesion"))
    return _criterion_d_and_verdict(cand, synth, synth8, ok, out)


MA20_PATIENTS_SET = "MA20 val patients (decision rule)"


def decide_1_24(cand: dict, paired: list[dict], exposure: list[dict], synth: list[dict], synth8: list[dict],
                stress: list[dict]) -> list[str]:
    """``DECISION-1.24.0.md`` (the fast network at two input sizes): A MA20 over all three validation patients, lesion
    (rule), superior (lower bound above 0), and the clean patient non-inferior; B every app-path stress row of the clean
    patient non-inferior within ``STRESS_AS_IS_MARGIN``; C MedSeg GGO / HO / lesion (rule, Inf-Net style) no harm; D
    synthetic HU and 8-bit no harm, lesion-free series under 1 %."""
    out: list[str] = []
    ok: list[bool] = []
    rows = [r for r in paired if r["set"] == MA20_PATIENTS_SET]
    ok.append(len(rows) == 1 and rows[0]["ci95"][0] > 0)
    out.append(f"A MA20 all validation patients lesion (rule) above 0: {_ci(rows[0]) if rows else 'missing'}: "
               f"{'PASS' if ok[-1] else 'FAIL'}")
    _ma20_clean_non_inferior(exposure, ok, out)
    _stress(stress, (), (STRESS_CLAHE, *STRESS_GAMMAS, STRESS_HALF_RES), ok, out, STRESS_AS_IS_MARGIN)
    _no_harm(_rows(paired, "MedSeg val (decision rule), Inf-Net style"), "C MedSeg {} (rule, Inf-Net style)", ok, out)
    return _criterion_d_and_verdict(cand, synth, synth8, ok, out)
