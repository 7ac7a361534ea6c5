#!/usr/bin/env bash
# macOS: sign (when a Developer ID is given), pack Tidings.app into a drag-to-Applications .dmg,
# then sign and notarize the .dmg (when notarization credentials are given).
#
#   bash packaging/macos/build_dmg.sh dist/pyinstaller/Tidings.app dist/Tidings-<version>.dmg <version>
#
# Run by packaging/build.py after PyInstaller built the .app (its Info.plist — bundle ID
# app.tidings.Tidings, version, NSMicrophoneUsageDescription, dark mode — comes from
# packaging/tidings.spec). Credentials, all optional, from the environment:
#   MACOS_SIGN_IDENTITY     "Developer ID Application: Name (TEAMID)"; unset: ad-hoc signature
#   MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_PASSWORD (an app-specific password), MACOS_NOTARY_TEAM_ID
#                           all three set: notarize with notarytool and staple the ticket
# Not run on this project's Linux CI: written for the release workflow's macOS runner.
set -euo pipefail
APP=$1 DMG=$2 VERSION=$3
HERE=$(cd "$(dirname "$0")" && pwd)
ENTITLEMENTS=$HERE/entitlements.plist

if [[ -n ${MACOS_SIGN_IDENTITY:-} ]]; then
  echo "signing $APP as $MACOS_SIGN_IDENTITY (hardened runtime)"
  # Inside out: every nested library and executable, then the bundle.
  find "$APP/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
    xargs -0 codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
      --sign "$MACOS_SIGN_IDENTITY"
  codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
    --sign "$MACOS_SIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
else
  echo "MACOS_SIGN_IDENTITY not set: ad-hoc signature (runs here; Gatekeeper warns elsewhere)"
  codesign --force --deep --sign - "$APP"
fi

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"   # the drag-to-Applications layout
rm -f "$DMG"
hdiutil create -volname "Tidings $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO \
  -imagekey zlib-level=9 "$DMG"

if [[ -n ${MACOS_SIGN_IDENTITY:-} ]]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
fi
if [[ -n ${MACOS_NOTARY_APPLE_ID:-} && -n ${MACOS_NOTARY_PASSWORD:-} && -n ${MACOS_NOTARY_TEAM_ID:-} ]]; then
  echo "notarizing $DMG"
  xcrun notarytool submit "$DMG" --apple-id "$MACOS_NOTARY_APPLE_ID" \
    --password "$MACOS_NOTARY_PASSWORD" --team-id "$MACOS_NOTARY_TEAM_ID" --wait
  xcrun stapler staple "$DMG"
else
  echo "notarization credentials not set: the .dmg is not notarized"
fi
echo "built $DMG"
