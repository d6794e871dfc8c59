"""lungburden.revised_rule: the criteria of DECISION-1.14.0.md from evaluate-candidate.sh's files."""
from lungburden.revised_rule import decide, decide_1_15, decide_1_16, decide_1_17


def _r(set_name, metric, diff, lo, hi):
    return {"set": set_name, "metric": metric, "diff": diff, "ci95": [lo, hi]}


def _inputs(clean_lo=0.01, ho_hi=0.02, syn_hi=0.01, lidc=0.4, lesion=0.64):
    med = "MedSeg val (decision rule), Inf-Net style"
    paired = [_r(med, "ggo per-slice Dice", 0, -0.03, 0.03), _r(med, "ho per-slice Dice", 0, -0.03, ho_hi),
              _r(med, "lesion per-slice Dice", 0, -0.03, 0.03), _r("MedSeg val (argmax)", "ho per-slice Dice", 0, -1, -0.5)]
    exposure = [{"rule": "decision rule", "subset": "clean patient (never trained on) (159)", "diff": 0.02,
                 "ci95": [clean_lo, 0.03]},
                {"rule": "argmax", "subset": "clean patient (never trained on) (159)", "diff": -1, "ci95": [-1, -1]}]
    syn = "Synthetic volumes (decision rule + z)"
    synth = [_r(syn, f"{c} per-volume Dice", 0, -0.01, syn_hi) for c in ("ggo", "ho", "lesion")]
    real = {"lidc-idri-0001": {"post": {"burden_pct": lidc}}, "rider-1225316081": {"post": {"burden_pct": 0.1}}}
    return {"medseg": {"dice_lesion": 0.643}}, {"medseg": {"dice_lesion": lesion}, "real_ct": real}, paired, exposure, synth


def test_all_criteria_pass():
    lines = decide(*_inputs())
    assert lines[-1].startswith("A-C PASS") and not [x for x in lines[:-1] if x.endswith("FAIL")]


def test_each_criterion_fails_alone():
    for kw, n in (({"clean_lo": -0.001}, 1), ({"ho_hi": -0.001}, 1), ({"syn_hi": -0.001}, 3), ({"lidc": 1.2}, 1),
                  ({"lesion": 0.61}, 1)):
        lines = decide(*_inputs(**kw))
        assert lines[-1] == f"A-C FAIL ({n} criteria): does not ship", (kw, lines)


def test_missing_rows_fail():
    ref, cand, _paired, exposure, synth = _inputs()
    lines = decide(ref, cand, [], exposure, synth)
    assert lines[-1].startswith("A-C FAIL (3 criteria)")


def _inputs_1_15(clean_lo=-0.005, lesion_lo=0.005, ggo_hi=0.03, syn8_hi=0.01):
    _ref, cand, paired, exposure, synth = _inputs(clean_lo=clean_lo)
    med = "MedSeg val (decision rule), Inf-Net style"
    paired = [r for r in paired if r["set"] != med] + [
        _r(med, "ggo per-slice Dice", 0, -0.03, ggo_hi), _r(med, "ho per-slice Dice", 0, -0.03, 0.03),
        _r(med, "lesion per-slice Dice", 0.03, lesion_lo, 0.06)]
    s8 = "Synthetic volumes as full-size 8-bit slices (mirror + rule)"
    synth8 = [_r(s8, f"{c} per-volume Dice", 0, -0.01, syn8_hi) for c in ("ggo", "ho", "lesion")]
    return cand, paired, exposure, synth, synth8


def test_1_15_passes_with_ma20_non_inferior_and_medseg_superior():
    lines = decide_1_15(*_inputs_1_15())
    assert lines[-1].startswith("A-C PASS"), lines
    assert len(lines) == 1 + 3 + 3 + 3 + 2 + 1  # A, B x3, C synthetic x3, C 8-bit x3, lesion-free x2, verdict


def test_1_15_each_criterion_fails_alone():
    for kw, n in (({"clean_lo": -0.011}, 1), ({"lesion_lo": -0.001}, 1), ({"ggo_hi": -0.001}, 1), ({"syn8_hi": -0.001}, 3)):
        lines = decide_1_15(*_inputs_1_15(**kw))
        assert lines[-1] == f"A-C FAIL ({n} criteria): does not ship", (kw, lines)


def test_1_15_missing_8bit_rows_fail():
    cand, paired, exposure, synth, _synth8 = _inputs_1_15()
    assert decide_1_15(cand, paired, exposure, synth, [])[-1] == "A-C FAIL (3 criteria): does not ship"


def _stress_rows(clahe_lo=0.05, gamma_hi=0.02, as_is_lo=-0.01, clahe_hi=0.4, half_lo=-0.01):
    rows = []
    for variant, lo, hi in (("as is", as_is_lo, 0.01), ("CLAHE-like local contrast", clahe_lo, clahe_hi),
                            ("display gamma 0.7", -0.01, gamma_hi), ("display gamma 1.4", -0.01, 0.03),
                            ("half resolution and back", half_lo, 0.2)):
        rows.append({"variant": variant, "subset": "MA20 clean patient", "diff": 0, "ci95": [lo, hi]})
        rows.append({"variant": variant, "subset": "MA20 exposed patients", "diff": -1, "ci95": [-1, -0.5]})
    return rows


def test_1_16_passes_on_the_clean_patient_stress_rows_and_ignores_the_exposed_ones():
    lines = decide_1_16(*_inputs_1_15(lesion_lo=-0.01), _stress_rows())
    assert lines[-1].startswith("A-D PASS"), lines
    assert len(lines) == 1 + 4 + 3 + 3 + 3 + 2 + 1  # A, B stress x4, C MedSeg x3, D synthetic x3 + 8-bit x3 + lesion-free x2


def test_1_16_each_criterion_fails_alone():
    for stress_kw, kw, n in (({"clahe_lo": -0.001}, {}, 1), ({"gamma_hi": -0.001}, {}, 1), ({"as_is_lo": -0.021}, {}, 1),
                             ({}, {"clean_lo": -0.011}, 1), ({}, {"ggo_hi": -0.001}, 1), ({}, {"syn8_hi": -0.001}, 3)):
        lines = decide_1_16(*_inputs_1_15(**kw), _stress_rows(**stress_kw))
        assert lines[-1] == f"A-D FAIL ({n} criteria): does not ship", (stress_kw, kw, lines)


def test_1_16_missing_stress_rows_fail():
    lines = decide_1_16(*_inputs_1_15(), [])
    assert lines[-1] == "A-D FAIL (4 criteria): does not ship"


def test_1_17_decides_on_half_resolution_and_keeps_the_clahe_gain_as_no_harm():
    lines = decide_1_17(*_inputs_1_15(lesion_lo=-0.01), _stress_rows(clahe_lo=-0.02, half_lo=0.01))
    assert lines[-1].startswith("A-D PASS"), lines
    assert len(lines) == 1 + 5 + 3 + 3 + 3 + 2 + 1  # A, B stress x5 (half res, CLAHE, 2 gammas, as is), C x3, D x8
    for stress_kw, n in (({"half_lo": -0.001}, 1), ({"clahe_lo": -0.05, "clahe_hi": -0.001, "half_lo": 0.01}, 1),
                         ({"as_is_lo": -0.021, "half_lo": 0.01}, 1)):
        lines = decide_1_17(*_inputs_1_15(), _stress_rows(**stress_kw))
        assert lines[-1] == f"A-D FAIL ({n} criteria): does not ship", (stress_kw, lines)
    assert decide_1_17(*_inputs_1_15(), [])[-1] == "A-D FAIL (5 criteria): does not ship"


def test_1_18_sizes_needs_medseg_ggo_superiority_and_no_harm_on_every_stress_variant():
    from lungburden.revised_rule import decide_1_18_sizes

    cand, paired, exposure, synth, synth8 = _inputs_1_15()
    med = "MedSeg val (decision rule), Inf-Net style"
    better_ggo = [r for r in paired if not (r["set"] == med and r["metric"].startswith("ggo"))] + [
        _r(med, "ggo per-slice Dice", 0.02, 0.005, 0.04)]
    lines = decide_1_18_sizes(cand, better_ggo, exposure, synth, synth8, _stress_rows())
    assert lines[-1].startswith("A-D PASS"), lines
    assert len(lines) == 1 + 5 + 3 + 3 + 3 + 2 + 1  # A, B stress x5, C MedSeg x3, D synthetic x3 + 8-bit x3 + lesion-free x2
    assert decide_1_18_sizes(cand, paired, exposure, synth, synth8, _stress_rows())[-1] == \
        "A-D FAIL (1 criteria): does not ship"  # GGO not above 0
    half_harm = [dict(r, ci95=[-0.3, -0.1]) if r["variant"] == "half resolution and back" else r for r in _stress_rows()]
    assert decide_1_18_sizes(cand, better_ggo, exposure, synth, synth8, half_harm)[-1] == \
        "A-D FAIL (1 criteria): does not ship"
    assert decide_1_18_sizes(cand, better_ggo, exposure, synth, synth8, [])[-1].startswith("A-D FAIL")


def test_1_19_reads_the_display_variants_as_non_inferiority_within_the_as_is_margin():
    from lungburden.revised_rule import decide_1_19

    small = _stress_rows(half_lo=0.05)
    small = [dict(r, ci95=[-0.012, -0.002]) if r["variant"] == "display gamma 1.4" else r for r in small]
    assert decide_1_17(*_inputs_1_15(), small)[-1] == "A-D FAIL (1 criteria): does not ship"  # -0.006 failed 1.17.0
    assert decide_1_19(*_inputs_1_15(), small)[-1].startswith("A-D PASS")
    big = [dict(r, ci95=[-0.03, -0.01]) if r["variant"] == "display gamma 1.4" else r for r in small]
    assert decide_1_19(*_inputs_1_15(), big)[-1] == "A-D FAIL (1 criteria): does not ship"
    assert decide_1_19(*_inputs_1_15(), _stress_rows(half_lo=-0.01))[-1] == "A-D FAIL (1 criteria): does not ship"


def test_1_20_needs_medseg_ggo_superiority_and_keeps_half_resolution_within_the_margin():
    from lungburden.revised_rule import decide_1_20

    cand, paired, exposure, synth, synth8 = _inputs_1_15()
    med = "MedSeg val (decision rule), Inf-Net style"
    better_ggo = [r for r in paired if not (r["set"] == med and r["metric"].startswith("ggo"))] + [
        _r(med, "ggo per-slice Dice", 0.02, 0.005, 0.04)]
    assert decide_1_20(cand, better_ggo, exposure, synth, synth8, _stress_rows())[-1].startswith("A-D PASS")
    assert decide_1_20(cand, paired, exposure, synth, synth8, _stress_rows())[-1] == "A-D FAIL (1 criteria): does not ship"
    half_loss = [dict(r, ci95=[-0.05, -0.03]) if r["variant"] == "half resolution and back" else r for r in _stress_rows()]
    assert decide_1_20(cand, better_ggo, exposure, synth, synth8, half_loss)[-1] == "A-D FAIL (1 criteria): does not ship"


def test_1_24_needs_ma20_patients_superiority_and_no_harm_elsewhere():
    from lungburden.revised_rule import decide_1_24

    cand, paired, exposure, synth, synth8 = _inputs_1_15()
    ma20 = _r("MA20 val patients (decision rule)", "lesion per-slice Dice", 0.03, 0.02, 0.04)
    lines = decide_1_24(cand, [*paired, ma20], exposure, synth, synth8, _stress_rows())
    assert lines[-1].startswith("A-D PASS"), lines
    assert len(lines) == 2 + 5 + 3 + 6 + 2 + 1  # A x2, B x5 (4 variants + as is), C x3, D x6, lesion-free x2, verdict
    flat = dict(ma20, ci95=[-0.001, 0.01])
    assert decide_1_24(cand, [*paired, flat], exposure, synth, synth8, _stress_rows())[-1] == \
        "A-D FAIL (1 criteria): does not ship"
    assert decide_1_24(cand, paired, exposure, synth, synth8, _stress_rows())[-1] == "A-D FAIL (1 criteria): does not ship"
    half_loss = [dict(r, ci95=[-0.05, -0.03]) if r["variant"] == "half resolution and back" else r for r in _stress_rows()]
    assert decide_1_24(cand, [*paired, ma20], exposure, synth, synth8, half_loss)[-1] == \
        "A-D FAIL (1 criteria): does not ship"
    med = "MedSeg val (decision rule), Inf-Net style"
    ggo_harm = [r for r in paired if not (r["set"] == med and r["metric"].startswith("ggo"))] + [
        _r(med, "ggo per-slice Dice", -0.03, -0.05, -0.01), ma20]
    assert decide_1_24(cand, ggo_harm, exposure, synth, synth8, _stress_rows())[-1] == "A-D FAIL (1 criteria): does not ship"
