; Inno Setup 6 script: the per-user Windows installer, dist\Tidings-Setup-<version>.exe.
; Built by `make package` on Windows (packaging/build.py), which passes the version from
; pyproject.toml, the PyInstaller folder and the icon:
;   ISCC /DAppVersion=0.1.0 /DSourceDir=dist\pyinstaller\Tidings /DIconFile=build\icons\tidings.ico /Odist packaging\windows\tidings.iss
; No administrator rights: it installs under %LOCALAPPDATA%\Programs\Tidings.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\pyinstaller\Tidings"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\tidings.ico"
#endif
; The AppUserModelID the app sets for its process (packaging/tidings_frozen.py) and its toasts
; are registered under (desktop-notifier's app name): taskbar and notifications group with the
; shortcut.
#define AppUserModelID "Tidings"

[Setup]
AppId={{6F1C9A4E-3B7D-4C2E-9A51-7D4E2B8C1F06}
AppName=Tidings
AppVersion={#AppVersion}
AppVerName=Tidings {#AppVersion}
AppPublisher=Tidings contributors
AppPublisherURL=https://tidings.app/
DefaultDirName={autopf}\Tidings
DefaultGroupName=Tidings
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=Tidings-Setup-{#AppVersion}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\Tidings.exe
UninstallDisplayName=Tidings
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Tidings"; Filename: "{app}\Tidings.exe"; AppUserModelID: "{#AppUserModelID}"
Name: "{autodesktop}\Tidings"; Filename: "{app}\Tidings.exe"; AppUserModelID: "{#AppUserModelID}"; Tasks: desktopicon

[Run]
Filename: "{app}\Tidings.exe"; Description: "{cm:LaunchProgram,Tidings}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Start at login (app/ui/desktop/autostart.py) is a Run key value the app writes itself.
Type: filesandordirs; Name: "{app}"

[Registry]
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: none; ValueName: "Tidings"; Flags: uninsdeletevalue dontcreatekey
