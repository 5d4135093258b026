"""The EQL_ functions as a LibreOffice Calc add-in: an extension (.oxt) built from the functions'
declarations in :mod:`eql.functions`, with eql's engine inside.

    interface.py   the declarations as UNO IDL, CalcAddIns.xcu and the extension's manifests
    build.py       compiles the IDL with the SDK's unoidl-write and writes the .oxt
    component.py   the add-in itself, run by LibreOffice's Python: adapts each call to eql.functions
    install.py     installs an .oxt into a LibreOffice user profile
"""

# The UNO names of the add-in; the service's name is also its node in CalcAddIns.xcu.
MODULE = "org.eql.calc"
INTERFACE = f"{MODULE}.XEqlFunctions"
SERVICE = f"{MODULE}.EqlFunctions"
EXTENSION_ID = "org.eql.calc.extension"
