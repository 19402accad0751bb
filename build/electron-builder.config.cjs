// electron-builder configuration for Switchboard (`npm run package`, or on a release machine
// `npx electron-builder -c build/electron-builder.config.cjs --win|--mac|--linux`).
//
// What ships is only what the app runs: dist/** (Vite renderer + esbuild main/preload bundles) and
// package.json. No sources, tests, source maps or .env files: an asar is trivially unpacked.
// package.json has no `dependencies` on purpose (everything is bundled), so no node_modules ship either.
//
// Targets: dir, tar.gz and deb build offline on the CI machine (scripts/package.mjs; deb through
// build/tools/fpm-deb-shim.mjs when there is no real fpm); AppImage, rpm, Windows (nsis, msi) and macOS
// (dmg, pkg) are configured for release machines that have the Electron zips, fpm, wine/WiX or Xcode.
//
// Fuses are flipped in the Electron binary itself, so they hold even if someone edits the app files:
// the app cannot be turned into a plain Node (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect), cookies
// are encrypted with the OS keystore, and only the integrity-checked app.asar is loaded.
// Playwright's `_electron` launcher needs --inspect, so an e2e build against a real Electron must
// override `electronFuses.enableNodeCliInspectArguments` (never in a release).
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: electron-builder require()s its config and hooks. */
const fs = require('node:fs');
const path = require('node:path');
const { addServerUrlPolicyToWxsFile } = require('./tools/msiServerUrlPolicy.cjs');

const dialSchemes = ['tel', 'sip', 'callto'];

// Policy templates (ADMX/ADML, macOS profile, Linux JSON schema) are generated into build/policy/ from
// core/policy/schema.ts by the policy tooling; only the templates ship, never the generator.
const policyDir = path.join(__dirname, 'policy');
const policyTemplateExtensions = ['admx', 'adml', 'mobileconfig', 'plist', 'json', 'md'];
const policyTemplateGlobs = policyTemplateExtensions.map((ext) => `**/*.${ext}`);
const policyTemplateFiles = fs.existsSync(policyDir)
  ? fs
      .readdirSync(policyDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && policyTemplateExtensions.includes(path.extname(e.name).slice(1)))
      .map((e) => path.relative(policyDir, path.join(e.parentPath, e.name)))
      .sort()
  : [];

/** @type {import('app-builder-lib').Configuration} */
const config = {
  appId: 'dev.switchboard.app',
  productName: 'Switchboard',
  copyright: 'Copyright © Switchboard contributors',
  directories: { output: 'release', buildResources: 'build' },
  files: [
    'package.json',
    'dist/**/*',
    '!dist/**/*.map',
    // The chat widget's script is served by the central server to customers' browsers, not run by the app.
    '!dist/widget/**',
    '!**/*.test.*',
    '!**/.env*',
    '!**/*.ts',
    '!**/*.tsx',
  ],
  // Installed next to the app (resources/policy/) on every platform, so IT finds the templates that
  // match the installed version.
  extraResources: [{ from: 'build/policy', to: 'policy', filter: policyTemplateGlobs }],
  asar: true,
  // No native modules: nothing to rebuild, and a rebuild would need Electron headers from the network.
  npmRebuild: false,
  // One declaration drives macOS CFBundleURLTypes and the Linux desktop entry's MimeType
  // (x-scheme-handler/<scheme>). Windows installers do not read it: build/installer.nsh and the MSI hook
  // register the same schemes.
  protocols: [{ name: 'Phone and SIP links', schemes: dialSchemes }],
  // Writes resources/app-update.yml, without which electron-updater cannot download (and NSIS updates
  // would skip the publisher check). The URL is a placeholder: the UpdateFeedUrl policy replaces it at
  // run time (electron/updater.ts), and with no policy the app never checks (core/update/scheduler.ts).
  publish: [{ provider: 'generic', url: 'https://updates.invalid/switchboard' }],
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is served from app://, never file://; file:// pages need no extra privileges.
    grantFileProtocolExtraPrivileges: false,
  },

  linux: {
    target: ['dir', 'tar.gz', 'deb', 'rpm', 'AppImage'],
    executableName: 'switchboard',
    category: 'Office;Network;Telephony',
    synopsis: 'Desktop workspace for contact-center agents',
    description: 'Softphone, unified inbox, offline tickets and coaching for home-based contact-center agents.',
    maintainer: 'Switchboard contributors <maintainers@switchboard.dev>',
    vendor: 'Switchboard contributors',
    // The desktop entry's MimeType comes from `protocols` above; setting linux.mimeTypes too would list
    // each scheme twice.
    desktop: { entry: { Keywords: 'phone;call;softphone;SIP;tickets;chat;' } },
  },
  deb: {
    priority: 'optional',
    packageCategory: 'net',
    // electron-builder's defaults plus what a softphone cannot run without: ALSA (Chromium's audio
    // output and microphone capture) and GBM (Chromium's GPU process). libsecret is how safeStorage
    // reaches the keyring; without it secrets cannot be stored. On Ubuntu 24.04 libasound2t64 provides
    // libasound2.
    depends: [
      'libgtk-3-0',
      'libnotify4',
      'libnss3',
      'libxss1',
      'libxtst6',
      'xdg-utils',
      'libatspi2.0-0',
      'libuuid1',
      'libsecret-1-0',
      'libasound2',
      'libgbm1',
    ],
    recommends: ['libappindicator3-1', 'pulseaudio | pipewire-pulse'],
    // The Linux-conventional place for IT to find the policy templates (/etc/switchboard/policy.json is
    // the file they write; its JSON schema is here). One fpm mapping per file, so only templates ship.
    fpm: policyTemplateFiles.map((f) => `${path.join(policyDir, f)}=/usr/share/switchboard/policy/${f}`),
  },
  rpm: {
    packageCategory: 'Applications/Communications',
    depends: ['gtk3', 'libnotify', 'nss', 'libXScrnSaver', '(libXtst or libXtst6)', 'xdg-utils', 'at-spi2-core', '(libuuid or libuuid1)', 'libsecret', 'alsa-lib', 'mesa-libgbm'],
    fpm: policyTemplateFiles.map((f) => `${path.join(policyDir, f)}=/usr/share/switchboard/policy/${f}`),
  },

  win: {
    target: ['nsis', 'msi'],
    // electron-updater checks a downloaded Windows installer's Authenticode signature only against the
    // publisherName in resources/app-update.yml, and with none there it installs whatever it downloaded
    // (NsisUpdater.verifySignature). electron-builder writes the name only when it knows it: from this
    // setting, or from a certificate file it can read (not from a certificate in a store, a token or a
    // signing service). So it is stated here, exactly as the code-signing certificate's subject CN.
    // It is the same name as copyright and vendor; a build signed by another certificate must change it.
    signtoolOptions: { publisherName: ['Switchboard contributors'] },
    verifyUpdateCodeSignature: true,
  },
  // One-click, per-machine: one UAC prompt, Program Files, no wizard pages; `/S` installs silently with
  // no prompt at all under an admin account or SYSTEM (SCCM, Intune). Agents are not local
  // administrators, and a wizard would only ask them questions IT has already answered.
  // build/installer.nsh (picked up by name) registers tel:/sip:/callto: and writes the /SERVER_URL=
  // option as the machine policy HKLM\Software\Policies\Switchboard\ServerUrl.
  nsis: {
    oneClick: true,
    perMachine: true,
    allowElevation: true,
    deleteAppDataOnUninstall: false,
    // A silent install must not launch the app as the deploying account (often SYSTEM); an interactive
    // one-click install still starts it (electron-builder skips the launch under /S).
    runAfterFinish: true,
    artifactName: '${productName}-Setup-${version}.${ext}',
  },
  // `msiexec /i Switchboard-<v>.msi /qn SERVER_URL=https://…`: the msiProjectCreated hook adds the
  // SERVER_URL property, writes it as the machine policy, and registers the dial schemes.
  msi: {
    oneClick: true,
    perMachine: true,
    // Never launch after install: MSI deployments run as SYSTEM.
    runAfterFinish: false,
    createDesktopShortcut: false,
    createStartMenuShortcut: true,
    artifactName: '${productName}-${version}.${ext}',
    // upgradeCode is left to electron-builder: a UUID v5 of appId, stable across versions, so a new MSI
    // upgrades the old one in place as long as appId never changes.
  },
  msiProjectCreated: addServerUrlPolicyToWxsFile,

  mac: {
    target: ['dmg', 'pkg'],
    category: 'public.app-category.business',
    hardenedRuntime: true,
    // Signing and notarization happen on the release Mac with its Developer ID identities; without
    // them electron-builder signs ad hoc, which MDM-deployed pkgs must not use.
    extendInfo: {
      NSMicrophoneUsageDescription: 'Switchboard uses the microphone for phone calls.',
    },
  },
  dmg: {
    artifactName: '${productName}-${version}-${arch}.${ext}',
  },
  // The pkg is what MDM deploys (`installer -pkg Switchboard-<v>.pkg -target /`). Managed settings come
  // from the configuration profile in resources/policy/ pushed alongside it: since macOS 11 a script
  // can no longer install a profile, only MDM can. build/pkg-scripts/postinstall registers the dial
  // schemes with Launch Services so links work before the first launch.
  pkg: {
    installLocation: '/Applications',
    isRelocatable: false,
    isVersionChecked: true,
    allowAnywhere: false,
    allowCurrentUserHome: false,
    allowRootDirectory: true,
    overwriteAction: 'upgrade',
    mustClose: ['dev.switchboard.app'],
    artifactName: '${productName}-${version}-${arch}.${ext}',
  },
};

module.exports = config;
