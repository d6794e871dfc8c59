"""The TID 1500 Measurement Report read back with highdicom's SR API: its values equal `analyze --json`.

Runs the real command line on a real DICOM series from ../shared/data (skips when it is absent):
`lung-burden analyze <series> --json`, then `lung-burden export <case> --format sr --unsigned`.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import highdicom as hd
import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("LUNG_BURDEN_DATA", REPO.parent / "shared" / "data"))
SERIES = DATA / "dicom-import" / "B_derived_chest_series_from_totalseg_crop" / "series_explicit_le"
NODE = REPO / "node_modules" / ".bin" / "node"


def cli(*args: str, data_dir: Path, ok: tuple[int, ...] = (0,)) -> str:
    r = subprocess.run(
        [str(NODE), "--import", "tsx", "electron/cli/main.ts", *args, "--data-dir", str(data_dir)],
        cwd=REPO, capture_output=True, text=True, timeout=900, check=False,
    )
    assert r.returncode in ok, f"lung-burden {' '.join(args)} failed:\n{r.stderr}"
    return r.stdout


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory):
    if not SERIES.is_dir():
        pytest.skip("../shared/data absent: test needs the team data set (see README)")
    if not NODE.exists():
        pytest.skip("node_modules absent: run npm ci")
    tmp = tmp_path_factory.mktemp("sr")
    data_dir = tmp / "data"
    # exit 5 = analysed, with blocking scan QC flags (this series is a crop of the chest): the result stands
    analysis = json.loads(cli("analyze", str(SERIES), "--json", "--threads", "1", data_dir=data_dir, ok=(0, 5)).strip().splitlines()[-1])
    out = tmp / "out"
    cli("export", str(analysis["caseId"]), "--format", "sr", "--out", str(out), "--unsigned", data_dir=data_dir)
    sr_files = sorted(out.glob("sr-case*.dcm"))
    assert len(sr_files) == 1
    yield analysis, sr_files[0], sorted(out.glob("seg-case*.dcm"))[0]
    shutil.rmtree(tmp, ignore_errors=True)


def expected_regions(a: dict) -> dict[str, dict]:
    regions = {"both": a, "right": a["right"], "left": a["left"]}
    for side in ("right", "left"):
        for z in ("upper", "middle", "lower"):
            regions[f"{side}_{z}"] = a["zonesByLung"][side][z]
    for z in ("upper", "middle", "lower"):
        regions[f"zone_{z}"] = a["zones"][z]
    return regions


FIELDS = {
    "lung": ("lungVolumeMl", None),
    "ggo": ("ggoVolumeMl", "ggoBurdenPercent"),
    "high-opacity": ("highOpacityVolumeMl", "highOpacityBurdenPercent"),
    "lesion": ("lesionVolumeMl", "burdenPercent"),
}


def test_sr_values_equal_analyze_json(analysed):
    analysis, sr_path, seg_path = analysed
    sr = hd.sr.srread(sr_path)
    assert isinstance(sr, hd.sr.ComprehensiveSR)
    assert sr.VerificationFlag == "UNVERIFIED" and sr.CompletionFlag == "PARTIAL" and sr.PreliminaryFlag == "PRELIMINARY"
    report = sr.content
    groups = list(report.get_volumetric_roi_measurement_groups()) + list(report.get_image_measurement_groups())
    regions = expected_regions(analysis)
    assert len(groups) == 4 * len(regions)
    seen = set()
    seg = hd.seg.segread(seg_path)
    for g in groups:
        region, finding = g.tracking_identifier.split("/")
        seen.add(g.tracking_identifier)
        volume_key, percent_key = FIELDS[finding]
        by_name = {m.name.value: m for m in g.get_measurements()}
        vol = by_name["118565006"]
        assert vol.unit.value == "ml" and vol.unit.scheme_designator == "UCUM"
        assert vol.value == pytest.approx(regions[region][volume_key], rel=1e-12, abs=1e-12)
        if percent_key is None:
            assert "LB0001" not in by_name
        else:
            pct = by_name["LB0001"]
            assert pct.unit.value == "%"
            assert pct.value == pytest.approx(regions[region][percent_key], rel=1e-12, abs=1e-12)
        if isinstance(g, hd.sr.VolumetricROIMeasurementsAndQualitativeEvaluations):
            ref = g.referenced_segment
            assert ref is not None
            assert ref.referenced_sop_instance_uid == seg.SOPInstanceUID
            number = ref.referenced_segment_numbers[0] if hasattr(ref, "referenced_segment_numbers") else ref.ReferencedSOPSequence[0].ReferencedSegmentNumber
            label = seg.get_segment_description(number).SegmentLabel
            assert label == {"ggo": "GGO", "high-opacity": "High opacity", "lung": f"{region.split('_')[0].capitalize()} lung"}[finding]
    assert len(seen) == len(groups)
    # observer context: the model as device (name and version)
    devices = report.get_observer_contexts(observer_type=hd.sr.CodedConcept("121007", "DCM", "Device"))
    assert devices, "device observer present"
    device = devices[0].observer_identifying_attributes
    assert device.name == analysis["model"]["name"], device.name
    assert device.model_name == f'{analysis["model"]["name"]} {analysis["model"]["version"]}'
