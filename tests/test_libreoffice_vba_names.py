"""Excel's Import Functions writes a VBA wrapper per function with our parameter names as VBA
parameter names; a name VBA reserves (``Date``, ``Currency`` ...) makes the import fail (xlwings
issue #563). The wrappers are generated here with xlwings' own code, which imports on Linux once
the Windows-only modules it imports are stood in for, and every parameter name is checked against
VBA's reserved identifiers.
"""

from __future__ import annotations

import importlib
import io
import re
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest

from eql import udfs
from eql.functions import FUNCTIONS

# MS-VBAL (the VBA language specification), section 3.3.5.2 "Reserved Identifiers and
# IDENTIFIER": statement keywords, marker keywords, operator identifiers, reserved names, special
# forms, reserved type identifiers, literal identifiers, the rem keyword, reserved-for-
# implementation-use and future-reserved names.
# https://learn.microsoft.com/en-us/openspecs/microsoft_general_purpose_programming_languages/ms-vbal/7df907cb-ab6c-40d3-aa81-272742ce00c3
WORDS = """
    Call Case Close Const Declare DefBool DefByte DefCur DefDate DefDbl DefInt DefLng DefLngLng
    DefLngPtr DefObj DefSng DefStr DefVar Dim Do Else ElseIf End EndIf Enum Erase Event Exit
    For Friend Function Get Global GoSub GoTo If Implements Input Let Lock Loop LSet Next On
    Open Option Print Private Public Put RaiseEvent ReDim Resume Return RSet Seek Select Set
    Static Stop Sub Type Unlock Wend While With Write
    Any As ByRef ByVal Each In New Shared Until WithEvents Optional ParamArray Preserve Spc Tab
    Then To
    AddressOf And Eqv Imp Is Like Mod Not Or TypeOf Xor
    Abs CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng CLngPtr CSng CStr CVar CVErr Date
    Debug DoEvents Fix Int Len LenB Me PSet Scale Sgn String
    Array Circle InputB LBound UBound
    Boolean Byte Currency Double Integer Long LongLong LongPtr Single Variant
    True False Nothing Empty Null
    Rem
    Attribute VB_Base VB_Control VB_Creatable VB_Customizable VB_Description VB_Exposed
    VB_Ext_KEY VB_GlobalNameSpace VB_HelpID VB_Invoke_Func VB_Invoke_Property
    VB_Invoke_PropertyPut VB_Invoke_PropertyPutRef VB_MemberFlags VB_Name VB_PredeclaredId
    VB_ProcData VB_TemplateDerived VB_UserMemId VB_VarDescription VB_VarHelpID
    VB_VarMemberFlags VB_VarProcData VB_VarUserMemId
    CDecl Decimal DefDec
"""
VBA_RESERVED = {word.lower() for word in WORDS.split()}


@pytest.fixture
def xlwings_udfs(monkeypatch: pytest.MonkeyPatch) -> Any:
    """xlwings.udfs, imported with pythoncom, pywintypes and win32com stood in for."""
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = None  # type: ignore[attr-defined]
    win32com.client = client  # type: ignore[attr-defined]
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    for name, module in {
        "pythoncom": pythoncom,
        "pywintypes": types.ModuleType("pywintypes"),
        "win32com": win32com,
        "win32com.client": client,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    return importlib.import_module("xlwings.udfs")


@pytest.fixture
def windows_udfs(xlwings_udfs: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """eql.udfs as on Windows, where xw.func and xw.arg are xlwings.udfs' (elsewhere they do
    nothing): re-imported with those, and re-imported as before afterwards."""
    import xlwings as xw

    monkeypatch.setattr(xw, "func", xlwings_udfs.xlfunc)
    monkeypatch.setattr(xw, "arg", xlwings_udfs.xlarg)
    yield importlib.reload(udfs)
    monkeypatch.undo()
    importlib.reload(udfs)


def vba_wrappers(xlwings_udfs: Any, module: Any) -> str:
    out = io.StringIO()
    workbook = types.SimpleNamespace(Name="facility.xlsm")
    xlwings_udfs.generate_vba_wrapper("eql.udfs", module, out, workbook)
    return out.getvalue()


def reserved_parameters(vba: str) -> set[str]:
    signatures = re.findall(r"^Function \w+\((.*)\)$", vba, re.MULTILINE)
    assert signatures, vba
    names = {part.split()[-1] for signature in signatures for part in signature.split(",")}
    return {name for name in names if name.lower() in VBA_RESERVED}


def test_every_function_gets_a_wrapper(xlwings_udfs: Any, windows_udfs: Any) -> None:
    vba = vba_wrappers(xlwings_udfs, windows_udfs)
    written = re.findall(r"^Function (\w+)\(", vba, re.MULTILINE)
    assert sorted(written) == sorted(FUNCTIONS)


def test_no_parameter_is_a_vba_reserved_identifier(xlwings_udfs: Any, windows_udfs: Any) -> None:
    assert reserved_parameters(vba_wrappers(xlwings_udfs, windows_udfs)) == set()


def test_the_check_finds_a_reserved_name(xlwings_udfs: Any) -> None:
    """The wrapper of a function with a ``date`` argument, as EQL_FISCAL_QUARTER had, is caught."""

    def fiscal_quarter(date, terms=None):  # type: ignore[no-untyped-def]
        return date, terms

    module = types.SimpleNamespace(F=xlwings_udfs.xlfunc(fiscal_quarter))
    assert reserved_parameters(vba_wrappers(xlwings_udfs, module)) == {"date"}


def test_xlwings_reads_the_declarations(windows_udfs: Any) -> None:
    """Help texts and range arguments as declared, and no converter read from an annotation."""
    for name, declared in FUNCTIONS.items():
        xlfunc = getattr(windows_udfs, name).__xlfunc__
        assert xlfunc["ret"]["doc"] == declared.description
        for arg, param in zip(xlfunc["args"], declared.params, strict=True):
            assert (arg["name"], arg["doc"]) == (param.name, param.help)
            assert arg["options"] == ({"ndim": 2} if param.is_range else {}), (name, arg)
            assert ("optional" in arg) == param.optional, (name, arg)
