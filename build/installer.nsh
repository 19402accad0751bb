; Switchboard's additions to electron-builder's NSIS installer (electron-builder includes build/installer.nsh
; by name). The installer is one-click and per-machine; IT installs it silently with
;
;   Switchboard-Setup-<version>.exe /S /SERVER_URL=https://switchboard.example.com
;
; /SERVER_URL= is written as the machine policy HKLM\Software\Policies\Switchboard\ServerUrl (REG_SZ),
; the value the app's policy reader reads; Group Policy (the ADMX in resources\policy) writes the same
; value, so either way ends in one place. The registry keys here mirror build/tools/msiServerUrlPolicy.cjs
; (the MSI), and build/electronBuilderConfig.test.ts checks that they agree.

!include LogicLib.nsh
!include FileFunc.nsh

!define SWITCHBOARD_POLICY_KEY "Software\Policies\Switchboard"
!define SWITCHBOARD_PROGID "Switchboard.DialLink"
!define SWITCHBOARD_CAPABILITIES_KEY "Software\Switchboard\Capabilities"

; Checked in .onInit, before anything is installed: a mistyped option fails the deployment with
; ERROR_INVALID_PARAMETER (87) that SCCM/Intune report, instead of installing an app that cannot connect.
!macro customInit
  Var /GLOBAL switchboardServerUrl
  StrCpy $switchboardServerUrl ""
  Push $R0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/SERVER_URL=" $switchboardServerUrl
  ${If} ${Errors}
    StrCpy $switchboardServerUrl ""
  ${EndIf}
  Pop $R0
  ${If} $switchboardServerUrl != ""
    Push $R0
    Push $R1
    StrCpy $R0 $switchboardServerUrl 8
    StrCpy $R1 $switchboardServerUrl 7
    ; StrCmp is case-insensitive, as URL schemes are.
    ${IfNot} $R0 == "https://"
    ${AndIfNot} $R1 == "http://"
      MessageBox MB_OK|MB_ICONSTOP "/SERVER_URL must be an http:// or https:// address, got: $switchboardServerUrl" /SD IDOK
      SetErrorLevel 87
      Quit
    ${EndIf}
    Pop $R1
    Pop $R0
  ${EndIf}
!macroend

!macro customInstall
  ; tel:, sip: and callto: through Windows Default Programs: a ProgID and Capabilities\URLAssociations
  ; listed in RegisteredApplications. Overwriting HKLM\Software\Classes\tel would take the links from
  ; whatever other app the user chose; this way the user, or IT with a default-app associations XML,
  ; picks Switchboard.
  WriteRegStr HKLM "Software\Classes\${SWITCHBOARD_PROGID}" "" "Switchboard dial link"
  WriteRegStr HKLM "Software\Classes\${SWITCHBOARD_PROGID}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  WriteRegStr HKLM "${SWITCHBOARD_CAPABILITIES_KEY}" "ApplicationName" "Switchboard"
  WriteRegStr HKLM "${SWITCHBOARD_CAPABILITIES_KEY}" "ApplicationDescription" "Softphone and workspace for contact-center agents"
  WriteRegStr HKLM "${SWITCHBOARD_CAPABILITIES_KEY}\URLAssociations" "tel" "${SWITCHBOARD_PROGID}"
  WriteRegStr HKLM "${SWITCHBOARD_CAPABILITIES_KEY}\URLAssociations" "sip" "${SWITCHBOARD_PROGID}"
  WriteRegStr HKLM "${SWITCHBOARD_CAPABILITIES_KEY}\URLAssociations" "callto" "${SWITCHBOARD_PROGID}"
  WriteRegStr HKLM "Software\RegisteredApplications" "Switchboard" "${SWITCHBOARD_CAPABILITIES_KEY}"

  ${If} $switchboardServerUrl != ""
    WriteRegStr HKLM "${SWITCHBOARD_POLICY_KEY}" "ServerUrl" "$switchboardServerUrl"
  ${EndIf}

  ; SHCNE_ASSOCCHANGED: Explorer and the Settings app see the new handler without a sign-out.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

!macro customUnInstall
  ; An update runs the old version's uninstaller first: keep the registration through it.
  ${IfNot} ${isUpdated}
    DeleteRegValue HKLM "Software\RegisteredApplications" "Switchboard"
    DeleteRegKey HKLM "${SWITCHBOARD_CAPABILITIES_KEY}"
    DeleteRegKey /ifempty HKLM "Software\Switchboard"
    DeleteRegKey HKLM "Software\Classes\${SWITCHBOARD_PROGID}"
    System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ${EndIf}
  ; The machine policy is never deleted here: it belongs to IT (Group Policy may own the same value),
  ; and removing the app must not silently drop a managed setting for the next install.
!macroend
