"""Write one small example file per diffractometer format into deep_xtal/examples/formats/, all holding the same data.

    python tools/make_format_examples.py [--out deep_xtal/examples/formats]

The data are a slice of the bundled simulated NaCl pattern (deep_xtal/examples/NaCl_CuKa_simulated.xye, Cu Kα1/Kα2,
made by deep_xtal.solve.demo_measurement): 2θ 26.00–49.96° in steps of 0.04° (every second point; the 111, 200 and
220 reflections with their Kα2 shoulders), 600 points of whole counts. Each file records a Cu tube and its Kα1/Kα2
doublet where the format has a place for it. The same points are written as plain columns (NaCl_CuKa.xy), so a test
can check that every reader returns exactly these numbers.

No vendor library writes these formats (rietx, which deep_xtal reads them with, has no writers), so each writer below
follows the structure of the format as published or as read off real files; README.md in the output folder says which,
per format. Only the standard library and numpy are used; run it again after changing the data and commit the files.
"""
import argparse, hashlib, io, struct, zipfile
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT/'deep_xtal'/'examples'/'NaCl_CuKa_simulated.xye'
START, STEP, N = 26.0, 0.04, 600
ANODE = 'Cu'
TITLE = 'NaCl, simulated Cu Ka1/Ka2 lab pattern (deep_xtal example)'
DATE = '2026-06-10T12:00:00+00:00'


def example_points()->tuple:
    "(2θ, counts) of the example: every second point of the bundled NaCl pattern from 26° on, 600 points."
    a = np.loadtxt(SOURCE)
    i0 = int(np.flatnonzero(np.isclose(a[:, 0], START))[0])
    sel = a[i0:i0 + 2*N:2]
    tt = np.round(START + STEP*np.arange(N), 4)
    assert np.allclose(sel[:, 0], tt, atol=1e-6), 'the source pattern is not on the expected 0.02° grid'
    return tt, np.round(sel[:, 1]).astype(int)


def write_xy(out:Path, tt, y, lam)->Path:
    p = out/'NaCl_CuKa.xy'
    p.write_text(f"# {TITLE}; the same points as every file in this folder; Cu tube, give --wavelength CuKa\n"
                 "# 2theta_deg counts\n" + ''.join(f"{a:.4f} {b:d}\n" for a, b in zip(tt, y)))
    return p


def write_xrdml(out:Path, tt, y, lam)->Path:
    "PANalytical XRDML 1.5 (the schema at http://www.xrdml.com/XRDMeasurement/1.5), laid out as an Empyrean writes it."
    ns = 'http://www.xrdml.com/XRDMeasurement/1.5'
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<xrdMeasurements xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{ns} {ns}/XRDMeasurement.xsd" status="Completed">
\t<comment>
\t\t<entry>{TITLE}</entry>
\t</comment>
\t<sample type="To be analyzed">
\t\t<id>NaCl</id>
\t\t<name>NaCl</name>
\t\t<preparedBy>deep_xtal</preparedBy>
\t</sample>
\t<xrdMeasurement measurementType="Scan" status="Completed" sampleMode="Reflection">
\t\t<usedWavelength intended="K-Alpha 1">
\t\t\t<kAlpha1 unit="Angstrom">{lam['ka1']:.7f}</kAlpha1>
\t\t\t<kAlpha2 unit="Angstrom">{lam['ka2']:.7f}</kAlpha2>
\t\t\t<kBeta unit="Angstrom">{lam['kb']:.7f}</kBeta>
\t\t\t<ratioKAlpha2KAlpha1>{lam['ratio']:.4f}</ratioKAlpha2KAlpha1>
\t\t</usedWavelength>
\t\t<incidentBeamPath>
\t\t\t<radius unit="mm">240.00</radius>
\t\t\t<xRayTube id="1" name="Cu LFF">
\t\t\t\t<tension unit="kV">45</tension>
\t\t\t\t<current unit="mA">40</current>
\t\t\t\t<anodeMaterial>{ANODE}</anodeMaterial>
\t\t\t</xRayTube>
\t\t</incidentBeamPath>
\t\t<diffractedBeamPath>
\t\t\t<radius unit="mm">240.00</radius>
\t\t</diffractedBeamPath>
\t\t<scan appendNumber="0" mode="Continuous" scanAxis="Gonio" status="Completed">
\t\t\t<header>
\t\t\t\t<startTimeStamp>{DATE}</startTimeStamp>
\t\t\t\t<endTimeStamp>{DATE}</endTimeStamp>
\t\t\t\t<author>
\t\t\t\t\t<name>deep_xtal</name>
\t\t\t\t</author>
\t\t\t</header>
\t\t\t<dataPoints>
\t\t\t\t<positions axis="2Theta" unit="deg">
\t\t\t\t\t<startPosition>{tt[0]:.4f}</startPosition>
\t\t\t\t\t<endPosition>{tt[-1]:.4f}</endPosition>
\t\t\t\t</positions>
\t\t\t\t<positions axis="Omega" unit="deg">
\t\t\t\t\t<startPosition>{tt[0]/2:.4f}</startPosition>
\t\t\t\t\t<endPosition>{tt[-1]/2:.4f}</endPosition>
\t\t\t\t</positions>
\t\t\t\t<commonCountingTime unit="seconds">1.000</commonCountingTime>
\t\t\t\t<intensities unit="counts">{' '.join(str(v) for v in y)}</intensities>
\t\t\t</dataPoints>
\t\t</scan>
\t</xrdMeasurement>
</xrdMeasurements>
"""
    p = out/'NaCl_CuKa.xrdml'
    p.write_text(text, encoding='utf-8')
    return p


def _fixed(s:str, n:int)->bytes:
    "A NUL-padded fixed-width ASCII field."
    b = s.encode('latin-1')[:n]
    return b + b'\0'*(n - len(b))


def write_bruker_raw(out:Path, tt, y, lam)->Path:
    """Bruker DIFFRAC RAW version 4 ("RAW4.00"): a 61-byte preamble, then a chain of (uint32 type, uint32 length)
    segments (10: key/value text, 30: the tube's wavelengths and anode), then a range: marker 0, scan type, start, step,
    point count, step time (ms), generator, wavelength, datum size and header size, a chain of drive records (type 50:
    flag, name, position), and the points as float32 intensities (datum size 4). Little-endian throughout. The offsets
    are those that xylib's bruker_raw.cpp (load_version4) and rietx's bruker_raw.py both read."""
    buf = bytearray()
    buf += b'RAW4.00\0' + struct.pack('<I', 1) + _fixed('06/10/2026', 12) + _fixed('12:00:00', 10)
    buf += b'\0'*(61 - len(buf))                                                   # preamble: magic, status, date at 12, time at 24
    def keyvalue(key, value):
        v = _fixed(value, (len(value) + 4)//4*4)
        return struct.pack('<III', 10, 36 + len(v), 0) + _fixed(key, 24) + v
    buf += keyvalue('SAMPLEID', 'NaCl') + keyvalue('COMMENT', TITLE)
    waves = (lam['avg'], lam['ka1'], lam['ka2'], lam['kb'], lam['ratio'])
    buf += struct.pack('<II', 30, 120) + b'\0'*64 + struct.pack('<5d', *waves) + b'\0'*4 + _fixed(ANODE, 4)
    drives = b''.join(struct.pack('<III', 50, 64, flag) + _fixed(name, 24) + b'\0'*20 + struct.pack('<d', pos)
                      for name, flag, pos in (('Theta', 0, tt[0]/2), ('2Theta', 1, tt[0])))
    datum = 4                                                                       # one float32 count per point
    rng = struct.pack('<I', 0) + b'\0'*28 + _fixed('Locked Coupled', 24) + b'\0'*16
    rng += struct.pack('<ddIf', tt[0], STEP, len(y), 1000.) + b'\0'*4 + struct.pack('<ff', 40., 40.) + b'\0'*4
    rng += struct.pack('<d', lam['ka1']) + b'\0'*16 + struct.pack('<II', datum, len(drives)) + b'\0'*16
    rng += drives + np.asarray(y, '<f4').tobytes()
    buf += rng
    p = out/'NaCl_CuKa.raw'
    p.write_bytes(bytes(buf))
    return p


def _zip(path:Path, members:dict)->Path:
    "A deflated zip with fixed timestamps, so that rerunning this script gives the same bytes."
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 6, 10, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


def write_brml(out:Path, tt, y, lam)->Path:
    """Bruker DIFFRAC.MEASUREMENT .brml: a zip of XML. Experiment0/DataContainer.xml lists the scans
    (RawDataReferenceList); Experiment0/RawData0.xml holds the measured DataRoute: ScanInformation (ScanName,
    MeasurementPoints, TimePerStep, ScanAxes), DataViews that say which comma-separated Datum column is what (measuring
    time, absorber factor, 2θ and θ, counts) and one Datum per point; FixedInformation holds the drives' positions and,
    under Instrument/PrimaryTracks/…/MountedOptics, the tube (TubeMaterial, WaveLengthAlpha1/Alpha2/Beta/Ratio)."""
    xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
    container = f"""<?xml version="1.0" encoding="utf-8"?>
<DataContainer {xsi} Version="1.0">
  <RawDataReferenceList>
    <string>Experiment0/RawData0.xml</string>
  </RawDataReferenceList>
</DataContainer>
"""
    rows = '\n'.join(f"      <Datum>1,1,{a:.4f},{a/2:.4f},{b}</Datum>" for a, b in zip(tt, y))
    axis = lambda aid, name, f: f"""          <ScanAxisInfo AxisId="{aid}" AxisName="{name}">
            <Unit Base="Degree" Prefix="None" />
            <Reference>0</Reference>
            <Start>{tt[0]*f:.4f}</Start>
            <Stop>{tt[-1]*f:.4f}</Stop>
            <Increment>{STEP*f:.4f}</Increment>
          </ScanAxisInfo>"""
    drive = lambda aid, name, pos: f"""      <InfoData LogicName="{aid}" VisibleName="{name}" AxisId="{aid}">
        <Position Unit="°" Value="{pos:.4f}" />
      </InfoData>"""
    raw = f"""<?xml version="1.0" encoding="utf-8"?>
<RawData {xsi} Version="1.0">
  <TimeStampStarted>{DATE}</TimeStampStarted>
  <DataRoutes>
    <DataRoute RouteFlag="Measured">
      <ScanInformation ScanName="Coupled TwoTheta/Theta" ShowAngleAxisAs2Theta="true">
        <ScanMode>ContinuousScan</ScanMode>
        <MeasurementPoints>{len(y)}</MeasurementPoints>
        <TimePerStep>1</TimePerStep>
        <TimePerStepEffective>1</TimePerStepEffective>
        <ScanAxes>
{axis('TwoTheta', 'TwoTheta', 1)}
{axis('Theta', 'Theta', 0.5)}
        </ScanAxes>
      </ScanInformation>
      <DataViews>
        <RawDataView xsi:type="FixedRawDataView" Start="0" Length="1" LogicName="MeasuredTime" />
        <RawDataView xsi:type="FixedRawDataView" Start="1" Length="1" LogicName="AbsorptionFactor" />
        <RawDataView xsi:type="VaryingRawDataView" Start="2" Length="2">
          <Varying>
            <FieldDefinitions FieldName="TwoTheta" AxisId="TwoTheta" />
            <FieldDefinitions FieldName="Theta" AxisId="Theta" />
          </Varying>
        </RawDataView>
        <RawDataView xsi:type="RecordedRawDataView" Start="4" Length="1">
          <Recording LogicName="Counter1D">
            <Unit Base="Counts" />
          </Recording>
        </RawDataView>
      </DataViews>
{rows}
    </DataRoute>
  </DataRoutes>
  <FixedInformation>
    <Drives>
{drive('TwoTheta', '2Theta', tt[0])}
{drive('Theta', 'Theta', tt[0]/2)}
    </Drives>
    <Instrument>
      <PrimaryTracks>
        <TrackInfoData>
          <MountedOptics>
            <InfoData xsi:type="SlitMountInfoData" LogicName="DivergenceSlitMount">
              <Slit LogicName="FixedDivergenceSlit" VisibleName="Fixed divergence slit 0.6 mm" />
            </InfoData>
            <InfoData xsi:type="TubeMountInfoData" LogicName="TubeMount">
              <Tube LogicName="Tube" VisibleName="Tube">
                <TubeMaterial>{ANODE}</TubeMaterial>
                <Generator LogicName="Generator">
                  <Voltage Unit="kV" Value="40" />
                  <Current Unit="mA" Value="40" />
                </Generator>
                <WaveLengthAlpha1 Unit="Å" Value="{lam['ka1']:.6f}" />
                <WaveLengthAlpha2 Unit="Å" Value="{lam['ka2']:.6f}" />
                <WaveLengthBeta Unit="Å" Value="{lam['kb']:.6f}" />
                <WaveLengthRatio Value="{lam['ratio']:.4f}" />
              </Tube>
            </InfoData>
          </MountedOptics>
        </TrackInfoData>
      </PrimaryTracks>
    </Instrument>
  </FixedInformation>
</RawData>
"""
    return _zip(out/'NaCl_CuKa.brml', {'Experiment0/DataContainer.xml': container, 'Experiment0/RawData0.xml': raw})


def write_rasx(out:Path, tt, y, lam)->Path:
    """Rigaku SmartLab Studio II .rasx: a zip with root.xml (UTF-8 with a byte-order mark) naming each Data<N> group's
    members, Data0/Profile0.txt (UTF-8 with a byte-order mark: 2θ, intensity, attenuator factor; tab-separated) and
    Data0/MesurementConditions0.xml (sic: Rigaku's spelling): GeneralInformation, ScanInformation, HWConfigurations
    (Categories, Optics, Distances, XrayGenerator with TargetName and WavelengthKalpha1/Kalpha2), the RASHeader key/value
    pairs of the equivalent .ras file, and the goniometer Axes."""
    profile = '\ufeff' + ''.join(f"{a:.4f}\t{b}\t1.0000\r\n" for a, b in zip(tt, y))
    ras = dict(FILE_SAMPLE='NaCl', HW_XG_TARGET_NAME=ANODE, HW_XG_WAVE_LENGTH_ALPHA1=f"{lam['ka1']:.6f}",
               HW_XG_WAVE_LENGTH_ALPHA2=f"{lam['ka2']:.6f}", MEAS_SCAN_AXIS_X='TwoThetaTheta',
               **{f'MEAS_COND_AXIS_NAME-{i}': n for i, n in enumerate(('TwoThetaTheta', 'Omega'))})
    pairs = '\n'.join(f"    <Pair>\n      <Key>{k}</Key>\n      <Value>{v}</Value>\n    </Pair>" for k, v in ras.items())
    cond = f"""<?xml version="1.0" encoding="utf-8"?>
<MeasurementConditions xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <GeneralInformation>
    <SampleName>NaCl</SampleName>
    <Comment>{TITLE}</Comment>
    <SystemName>SmartLab</SystemName>
  </GeneralInformation>
  <ScanInformation>
    <AxisName>TwoThetaTheta</AxisName>
    <Mode>Continuous</Mode>
    <Start>{tt[0]:.4f}</Start>
    <Stop>{tt[-1]:.4f}</Stop>
    <Step>{STEP:.4f}</Step>
    <Speed>2.4000</Speed>
    <SpeedUnit>deg/min</SpeedUnit>
    <PositionUnit>deg</PositionUnit>
    <IntensityUnit>counts</IntensityUnit>
    <StartTime>2026-06-10T12:00:00Z</StartTime>
  </ScanInformation>
  <HWConfigurations>
    <Categories>
      <Category Name="Detector" SelectedUnit="D/teX Ultra 250" />
    </Categories>
    <Optics>
      <Optic>Kbeta filter</Optic>
    </Optics>
    <Distances>
      <Distance To="Detector" From="Sample" Unit="mm" Value="300" />
    </Distances>
    <XrayGenerator>
      <TargetName>{ANODE}</TargetName>
      <Voltage>40</Voltage>
      <Current>30</Current>
      <WavelengthKalpha1>{lam['ka1']:.6f}</WavelengthKalpha1>
      <WavelengthKalpha2>{lam['ka2']:.6f}</WavelengthKalpha2>
      <WavelengthKbeta>{lam['kb']:.6f}</WavelengthKbeta>
    </XrayGenerator>
  </HWConfigurations>
  <RASHeader>
{pairs}
  </RASHeader>
  <Axes>
    <Axis Name="TwoThetaTheta" Unit="deg" Offset="0" Position="{tt[0]:.4f}" />
    <Axis Name="Omega" Unit="deg" Offset="0" Position="{tt[0]/2:.4f}" />
  </Axes>
</MeasurementConditions>
"""
    h = lambda s: hashlib.sha256(s.encode('utf-8')).hexdigest()
    root = ('\ufeff<?xml version="1.0" encoding="utf-8"?>\n<Root Version="1.1.0.0">\n  <Data0 Type="Profile">\n'
            f'    <ContentHashList Name="Profile0.txt" ContentHash="{h(profile)}" />\n'
            f'    <ContentHashList Name="MesurementConditions0.xml" ContentHash="{h(cond)}" />\n  </Data0>\n</Root>\n')
    return _zip(out/'NaCl_CuKa.rasx', {'root.xml': root.encode('utf-8'), 'Data0/Profile0.txt': profile.encode('utf-8'),
                                       'Data0/MesurementConditions0.xml': cond})


def write_ras(out:Path, tt, y, lam)->Path:
    """Rigaku .ras text (SmartLab/MiniFlex): *RAS_DATA_START, a header of *KEY "VALUE" lines between *RAS_HEADER_START
    and *RAS_HEADER_END, the points (2θ, intensity, attenuator) between *RAS_INT_START and *RAS_INT_END; CRLF lines."""
    head = dict(FILE_COMMENT=TITLE, FILE_SAMPLE='NaCl', FILE_TYPE='RAS_RAW', HW_XG_TARGET_NAME=ANODE,
                HW_XG_VOLTAGE='40', HW_XG_CURRENT='30', HW_XG_WAVE_LENGTH_ALPHA1=f"{lam['ka1']:.6f}",
                HW_XG_WAVE_LENGTH_ALPHA2=f"{lam['ka2']:.6f}", HW_XG_WAVE_LENGTH_BETA=f"{lam['kb']:.6f}",
                HW_XG_WAVE_LENGTH_UNIT='Angstrom', MEAS_SCAN_AXIS_X='TwoThetaTheta', MEAS_SCAN_MODE='CONTINUOUS',
                MEAS_SCAN_START=f"{tt[0]:.4f}", MEAS_SCAN_STEP=f"{STEP:.4f}", MEAS_SCAN_STOP=f"{tt[-1]:.4f}",
                MEAS_SCAN_SPEED='2.4000', MEAS_SCAN_SPEED_UNIT='deg/min', MEAS_SCAN_UNIT_X='deg', MEAS_SCAN_UNIT_Y='counts',
                MEAS_DATA_COUNT=str(len(y)), MEAS_SCAN_START_TIME='06/10/26 12:00:00')
    lines = ['*RAS_DATA_START', '*RAS_HEADER_START', *(f'*{k} "{v}"' for k, v in head.items()), '*RAS_HEADER_END',
             '*RAS_INT_START', *(f"{a:.4f} {b} 1.0000" for a, b in zip(tt, y)), '*RAS_INT_END', '*RAS_DATA_END']
    p = out/'NaCl_CuKa.ras'
    p.write_bytes(('\r\n'.join(lines) + '\r\n').encode('ascii'))
    return p


def write_uxd(out:Path, tt, y, lam)->Path:
    """Bruker/Siemens DIFFRAC-AT .uxd text: ; comments, _KEY=VALUE header lines (_FILEVERSION first), a range header
    (_DRIVE, _STEPTIME, _STEPSIZE, _START, …) and the _2THETACOUNTS block of 2θ, counts rows."""
    lines = [f'; {TITLE}', '_FILEVERSION=1', "_SAMPLE='NaCl'", f"_WL1={lam['ka1']:.6f}", f"_WL2={lam['ka2']:.6f}",
             f"_WL3={lam['kb']:.6f}", f"_WLRATIO={lam['ratio']:.6f}", f"_ANODE='{ANODE}'", '_GONIOMETER_RADIUS=217.500000',
             '; (Data for Range number 1)', "_DRIVE='COUPLED'", '_STEPTIME=1.000000', f'_STEPSIZE={STEP:.6f}',
             "_STEPMODE='C'", f'_START={tt[0]:.6f}', f'_THETA={tt[0]/2:.6f}', f'_2THETA={tt[0]:.6f}',
             f'_STEPCOUNT={len(y)}', '_2THETACOUNTS', *(f"  {a:10.4f} {b:10d}" for a, b in zip(tt, y))]
    p = out/'NaCl_CuKa.uxd'
    p.write_bytes(('\r\n'.join(lines) + '\r\n').encode('ascii'))
    return p


def write_pdcif(out:Path, tt, y, lam)->Path:
    "A powder CIF (IUCr pdCIF dictionary): the radiation (_diffrn_radiation_*), the range and a loop of 2θ and counts."
    rows = '\n'.join(f"{a:.4f} {b}" for a, b in zip(tt, y))
    text = f"""#\\#CIF_2.0
# {TITLE}
data_NaCl_CuKa_meas
_pd_block_id                      '2026-06-10T12:00|NaCl_CuKa|deep_xtal|example'
_pd_spec_description              'NaCl (rock salt), simulated'
_diffrn_source                    'sealed X-ray tube'
_diffrn_source_target             {ANODE}
_diffrn_radiation_probe           x-ray
_diffrn_radiation_type            'Cu K\\a~1~,K\\a~2~'
loop_
_diffrn_radiation_wavelength_id
_diffrn_radiation_wavelength
_diffrn_radiation_wavelength_wt
1 {lam['ka1']:.6f} 1.0
2 {lam['ka2']:.6f} {lam['ratio']:.1f}
_pd_meas_scan_method              step
_pd_meas_number_of_points         {len(y)}
_pd_meas_2theta_range_min         {tt[0]:.4f}
_pd_meas_2theta_range_max         {tt[-1]:.4f}
_pd_meas_2theta_range_inc         {STEP:.4f}
_pd_meas_step_count_time          1.0
loop_
_pd_meas_2theta_scan
_pd_meas_counts_total
{rows}
"""
    p = out/'NaCl_CuKa_pd.cif'
    p.write_text(text, encoding='utf-8')
    return p


# Cu Kα lines as each vendor records them (Å): Hölzer et al. (1997) Kα1/Kα2, as PANalytical and Rigaku write them
LAMBDA = dict(ka1=1.540598, ka2=1.544426, kb=1.392250, ratio=0.5, avg=1.541874)
WRITERS = (write_xy, write_xrdml, write_bruker_raw, write_brml, write_rasx, write_ras, write_uxd, write_pdcif)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', default=str(ROOT/'deep_xtal'/'examples'/'formats'))
    a = ap.parse_args(argv)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    tt, y = example_points()
    for w in WRITERS:
        p = w(out, tt, y, LAMBDA)
        print(f"{p.name:24s} {p.stat().st_size/1024:6.1f} kB")

if __name__ == '__main__': main()
