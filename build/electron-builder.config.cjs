// electron-builder configuration for Switchboard (`npx electron-builder -c build/electron-builder.config.cjs`).
//
// What ships is only what the app runs: dist/** (Vite renderer + esbuild main/preload bundles) and
// package.json. No sources, tests, source maps or .env files: an asar is trivially unpacked.
//
// Targets: dir, tar.gz and deb build offline on the CI machine (deb needs CUSTOM_FPM_PATH or a real
// fpm); AppImage, rpm, Windows (nsis, msi) and macOS (dmg, pkg) are listed for release machines that
// have the Electron zips, fpm, wine/WiX or Xcode.
//
// Fuses are flipped in the Electron binary itself, so they hold even if someone edits the app files:
// the app cannot be turned into a plain Node (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect), cookies
// are encrypted with the OS keystore, and only the integrity-checked app.asar is loaded.
// Playwright's `_electron` launcher needs --inspect, so an e2e build against a real Electron must
// override `electronFuses.enableNodeCliInspectArguments` (never in a release).

const dialSchemes = ['tel', 'sip', 'callto'];
const schemeMimeTypes = dialSchemes.map((s) => `x-scheme-handler/${s}`);

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
    '!**/*.test.*',
    '!**/.env*',
    '!**/*.ts',
    '!**/*.tsx',
  ],
  asar: true,
  // No native modules: nothing to rebuild, and a rebuild would need Electron headers from the network.
  npmRebuild: false,
  protocols: [{ name: 'Phone and SIP links', schemes: dialSchemes }],
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
    target: ['dir', 'tar.gz', 'deb', 'AppImage', 'rpm'],
    executableName: 'switchboard',
    category: 'Office;Telephony',
    synopsis: 'Desktop workspace for contact-center agents',
    description: 'Softphone, unified inbox, offline tickets and coaching for home-based contact-center agents.',
    maintainer: 'Switchboard contributors <maintainers@switchboard.dev>',
    mimeTypes: schemeMimeTypes,
  },
  deb: {
    priority: 'optional',
    // libsecret is how safeStorage reaches the keyring; without it secrets cannot be stored.
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'],
    desktop: {
      entry: {
        MimeType: `${schemeMimeTypes.join(';')};`,
        Categories: 'Office;Telephony;',
        StartupWMClass: 'Switchboard',
      },
    },
  },
  win: {
    target: ['nsis', 'msi'],
  },
  // Per-machine installs: contact centers deploy through IT, and agents are not local administrators.
  nsis: {
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: false,
    deleteAppDataOnUninstall: false,
  },
  msi: {
    perMachine: true,
    oneClick: false,
  },
  mac: {
    target: ['dmg', 'pkg'],
    category: 'public.app-category.business',
    hardenedRuntime: true,
    extendInfo: {
      NSMicrophoneUsageDescription: 'Switchboard uses the microphone for phone calls.',
    },
  },
};

module.exports = config;
