"""The texts of the LibreOffice extension, generated from the functions' declarations.

Calc finds an add-in's functions through a UNO interface (IDL, compiled to a type library) and
shows them with the names and help texts of ``CalcAddIns.xcu``. Its ``CompatibilityName`` for
en-US is the name an .xlsx file uses: with it, ``=EQL_PRICE(...)`` written by openpyxl or Excel
calls this add-in when LibreOffice opens the file, and is saved back under the same name.

Every argument but a price range is declared ``any``: a range arrives as rows, a single cell as
its value, and an argument left out arrives empty, which is how Calc allows trailing arguments to
be omitted. A
function that returns a table is declared ``sequence<sequence<any>>``: an ``any`` holding rows
gives ``#VALUE!`` in Calc.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from eql import __version__
from eql.functions import FUNCTIONS, Declared, Param
from eql.libreoffice import EXTENSION_ID, INTERFACE, MODULE, SERVICE

TABLE = "sequence< sequence< any > >"
# The Function Wizard's category; "Add-In" is where Calc lists every add-in's functions.
CATEGORY = "Add-In"
# The file names inside the extension.
TYPES = "eql.rdb"
COMPONENTS = "eql.components"
LOADER = "eql_addin.py"
CONFIGURATION = "CalcAddIns.xcu"


def uno_name(name: str) -> str:
    """A parameter's name as UNO IDL allows it: an identifier starting in lower case may not hold
    an underscore, so ``purchase_date`` is ``purchaseDate`` (the Function Wizard shows the first)."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


# Arguments Calc hands over as the cell range itself, not as its values: a price history of
# thousands of rows would otherwise be converted, cell by cell, for every call that reads five of
# its closes. The add-in reads such a range once and keeps its rows until a cell in it changes
# (see component.py). Calc then also hands the document itself to the function, first and unseen
# by the user, so ranges of two documents are never taken for one another.
BY_REFERENCE = frozenset({"prices"})
RANGE = "com::sun::star::table::XCellRange"
DOCUMENT = "com::sun::star::beans::XPropertySet"


def by_reference(declared: Declared) -> tuple[int, ...]:
    """The positions of the arguments of ``declared`` that Calc hands over as cell ranges."""
    return tuple(n for n, param in enumerate(declared.params) if _by_reference(param))


def _by_reference(param: Param) -> bool:
    # Calc cannot leave out an argument declared as a cell range (the cell is #VALUE! before the
    # add-in is called), so an optional prices range (EQL_CAP's) arrives as its values, as any.
    return param.name in BY_REFERENCE and not param.optional


def _method(declared: Declared) -> str:
    result = TABLE if declared.returns_table else "any"
    params = [
        f"[in] {RANGE if _by_reference(param) else 'any'} {uno_name(param.name)}"
        for param in declared.params
    ]
    if by_reference(declared):
        params.insert(0, f"[in] {DOCUMENT} document")
    return f"        {result} {declared.name}({', '.join(params)});"


def idl() -> str:
    """The add-in's interface and service in UNO IDL, one method per function."""
    modules = MODULE.split(".")
    opening = " ".join(f"module {name} {{" for name in modules)
    closing = " ".join("};" for _ in modules)
    interface = INTERFACE.rsplit(".", 1)[1]
    service = SERVICE.rsplit(".", 1)[1]
    methods = "\n".join(_method(declared) for declared in FUNCTIONS.values())
    return (
        f"{opening}\n"
        f"    interface {interface} : com::sun::star::uno::XInterface {{\n"
        f"{methods}\n"
        f"    }};\n"
        f"    service {service} : {interface};\n"
        f"{closing}\n"
    )


def _text(name: str, value: str) -> str:
    return f'<prop oor:name="{name}"><value xml:lang="en-US">{escape(value)}</value></prop>'


def _function_node(declared: Declared) -> str:
    params = "".join(
        f'<node oor:name={quoteattr(uno_name(param.name))} oor:op="replace">'
        f"{_text('DisplayName', param.name)}{_text('Description', param.help)}</node>"
        for param in declared.params
    )
    return (
        f'<node oor:name={quoteattr(declared.name)} oor:op="replace">'
        f"{_text('DisplayName', declared.name)}"
        f"{_text('Description', declared.description)}"
        f'<prop oor:name="Category"><value>{CATEGORY}</value></prop>'
        f"{_text('CompatibilityName', declared.name)}"
        f'<node oor:name="Parameters">{params}</node>'
        f"</node>\n"
    )


def calc_addins() -> str:
    """CalcAddIns.xcu: each function's display name, description, Excel name and argument help."""
    functions = "".join(_function_node(declared) for declared in FUNCTIONS.values())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:component-data xmlns:oor="http://openoffice.org/2001/registry"'
        ' xmlns:xs="http://www.w3.org/2001/XMLSchema"'
        ' oor:name="CalcAddIns" oor:package="org.openoffice.Office">\n'
        '<node oor:name="AddInInfo">\n'
        f'<node oor:name="{SERVICE}" oor:op="replace">\n'
        f'<node oor:name="AddInFunctions">\n{functions}</node>\n'
        "</node>\n</node>\n</oor:component-data>\n"
    )


def components() -> str:
    """Registers the Python component; its URI is relative to this file."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<components xmlns="http://openoffice.org/2010/uno-components">\n'
        f'  <component loader="com.sun.star.loader.Python" uri="./{LOADER}">\n'
        f'    <implementation name="{SERVICE}">\n'
        f'      <service name="{SERVICE}"/>\n'
        '      <service name="com.sun.star.sheet.AddIn"/>\n'
        "    </implementation>\n"
        "  </component>\n"
        "</components>\n"
    )


def manifest() -> str:
    """META-INF/manifest.xml: the type library, the components file and the configuration.

    The component is listed through its .components file: a ``type=Python`` entry fails when the
    extension is added, because the interface's type is not yet known in that process.
    """
    entries = (
        ("application/vnd.sun.star.uno-typelibrary;type=RDB", TYPES),
        ("application/vnd.sun.star.uno-components", COMPONENTS),
        ("application/vnd.sun.star.configuration-data", CONFIGURATION),
    )
    lines = "".join(
        f'  <manifest:file-entry manifest:media-type="{kind}" manifest:full-path="{path}"/>\n'
        for kind, path in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="http://openoffice.org/2001/manifest">\n'
        f"{lines}</manifest:manifest>\n"
    )


# The first LibreOffice whose OOXML import maps an add-in function's compatibility name (see the
# README, "Setting up LibreOffice"); an older one would show #NAME? in every EQL_ cell.
MINIMAL_VERSION = "25.2"


def description() -> str:
    """description.xml: the extension's identity, version and the LibreOffice it needs."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<description xmlns="http://openoffice.org/extensions/description/2006"'
        ' xmlns:lo="http://libreoffice.org/extensions/description/2011"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        f'  <identifier value="{EXTENSION_ID}"/>\n'
        f'  <version value="{__version__}"/>\n'
        '  <display-name><name lang="en">eql: the EQL_ functions of an equity line of credit</name></display-name>\n'
        "  <dependencies>\n"
        f'    <lo:LibreOffice-minimal-version value="{MINIMAL_VERSION}"'
        f' lo:name="LibreOffice {MINIMAL_VERSION}"/>\n'
        "  </dependencies>\n"
        "</description>\n"
    )


# eql's own minimum Python (pyproject's requires-python). LibreOffice runs the add-in with the
# Python it brings on Windows and macOS, which may be older.
MINIMUM_PYTHON = (3, 11)


def loader() -> str:
    """The file LibreOffice's Python loader runs (it puts pythonpath/ beside it on sys.path).

    On a Python older than eql needs, eql cannot even be imported; rather than leave every cell
    an unexplained error, each function then answers with a cell text saying so. That fallback
    imports nothing of eql, so the function names and which return tables are written in here.
    """
    names = tuple(FUNCTIONS)
    tables = tuple(name for name, declared in FUNCTIONS.items() if declared.returns_table)
    return f'''"""Loaded by LibreOffice's Python loader: the EQL_ functions, or why they cannot run."""

import sys

if sys.version_info >= {MINIMUM_PYTHON!r}:
    from eql.libreoffice.component import g_ImplementationHelper
else:
    import unohelper
    from org.eql.calc import XEqlFunctions

    PROBLEM = (
        "#VALUE! eql needs Python {MINIMUM_PYTHON[0]}.{MINIMUM_PYTHON[1]} or later; this LibreOffice runs Python "
        + sys.version.split()[0]
    )

    class EqlFunctions(unohelper.Base, XEqlFunctions):
        def __init__(self, context):
            self.context = context

    def _answer(returns_table):
        def method(self, *args):
            return ((PROBLEM,),) if returns_table else PROBLEM

        return method

    for _name in {names!r}:
        setattr(EqlFunctions, _name, _answer(_name in {tables!r}))

    g_ImplementationHelper = unohelper.ImplementationHelper()
    g_ImplementationHelper.addImplementation(
        EqlFunctions, "{SERVICE}", ("{SERVICE}", "com.sun.star.sheet.AddIn")
    )
'''
