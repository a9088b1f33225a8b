#!/bin/sh
# Regenerate the app's translations after a change of its texts:
#   1. pylupdate5 (PyQt5's, in the venv) collects every translate("Context", "text") and
#      QT_TRANSLATE_NOOP("Context", "text") of gui/*.py and gui/lab/*.py (the BPTT lab) into
#      gui/translations/rnnfast_ko.ts,
#      keeping the translations it already has and dropping the texts no longer used;
#   2. translate the new entries (type="unfinished") with Qt Linguist (`linguist`) or an editor;
#   3. lrelease (apt-get install qttools5-dev-tools) compiles the .ts into rnnfast_ko.qm.
# Both files are committed: running the app needs neither tool. tests/gui/test_gui_i18n.py
# fails when the .ts misses a text of the code, has an unfinished entry, or when the .qm does
# not hold what the .ts says.
#
#   sh scripts/update-translations.sh            # steps 1 and 3
set -eu
cd "$(dirname "$0")/.."
ts=gui/translations/rnnfast_ko.ts
pylupdate5 -noobsolete gui/*.py gui/lab/*.py -ts "$ts"
if grep -q 'type="unfinished"' "$ts"; then
    echo "update-translations.sh: $ts has untranslated entries (type=\"unfinished\"): translate them, then run me again" >&2
fi
lrelease=$(command -v lrelease || command -v lrelease-qt5 || true)
if [ -z "$lrelease" ]; then
    echo "update-translations.sh: no lrelease (apt-get install qttools5-dev-tools)" >&2
    exit 1
fi
"$lrelease" -removeidentical -nounfinished "$ts" -qm gui/translations/rnnfast_ko.qm
