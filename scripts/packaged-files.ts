/**
 * The files electron-builder would put into the app archive (asar) for a platform, computed with
 * electron-builder's OWN file matchers (`app-builder-lib` `getMainFileMatchers` /
 * `getNodeModuleFileMatcher`, the code its packagers run) over this repository and
 * `electron-builder.yml`: the app's own files, and the files of every production dependency
 * installed (package-lock.json, `dev` excluded). The Electron binary is not needed, so this runs
 * where installers cannot be built (checked by test/electron/packaging.test.ts).
 *
 *   node --import tsx scripts/packaged-files.ts [linux|win32|darwin]   → JSON { app: [...], modules: [...] }
 */
import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export type PackagePlatform = 'linux' | 'win32' | 'darwin';

type Filter = (file: string, stat: Stats) => boolean;
interface Matcher {
  createFilter(): Filter;
  from: string;
}
interface FileMatcherModule {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (s: string) => string,
    platformOptions: object,
    platformPackager: object,
    outDir: string,
    isElectronCompile: boolean,
  ): Matcher[];
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (s: string) => string,
    platformOptions: object,
    packager: object,
  ): Matcher;
}

const OS_KEY: Record<PackagePlatform, 'linux' | 'win' | 'mac'> = { linux: 'linux', win32: 'win', darwin: 'mac' };

/** What electron-builder would pack: repository files (relative paths, sorted) and production modules with their files. */
export function packagedFiles(platform: PackagePlatform, root: string = ROOT): { app: string[]; modules: Map<string, string[]> } {
  const yaml = require('js-yaml') as { load(s: string): unknown };
  const fm = require('app-builder-lib/out/fileMatcher') as FileMatcherModule;
  const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
    directories?: { output?: string; buildResources?: string };
  };
  const os = OS_KEY[platform];
  const macro = (s: string): string =>
    s
      .replace(/\$\{platform\}/g, platform)
      .replace(/\$\{os\}/g, os)
      .replace(/\$\{arch\}/g, 'x64');
  const platformOptions = (config[os] as object | undefined) ?? {};
  const outDir = join(root, config.directories?.output ?? 'dist');
  const info = {
    projectDir: root,
    buildResourcesDir: config.directories?.buildResources ?? 'build',
    isPrepackedAppAsar: false,
    config,
    debugLogger: { isEnabled: false },
  };
  const main = fm.getMainFileMatchers(root, '/app', macro, platformOptions, { info }, outDir, false);
  const filters = main.map((m) => m.createFilter());
  const app: string[] = [];
  const walk = (dir: string, filter: Filter, out: string[], skipNodeModules: boolean): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      if (skipNodeModules && dir === root && name === 'node_modules') continue;
      if (!filter(p, st)) continue;
      if (st.isSymbolicLink()) {
        // a link to a folder (.venv, node_modules in worktrees) would be followed by the packager:
        // report it as included when a file inside it would pass the filter
        const inner = join(p, 'probe-file');
        if (filter(inner, { ...st, isDirectory: () => false, isFile: () => true, isSymbolicLink: () => false } as Stats))
          out.push(`${relative(root, p)}/**`);
        else out.push(relative(root, p));
      } else if (st.isDirectory()) walk(p, filter, out, skipNodeModules);
      else out.push(relative(root, p).split('\\').join('/'));
    }
  };
  for (const f of filters) walk(root, f, app, true);

  const nm = fm.getNodeModuleFileMatcher(root, '/app', macro, platformOptions, { config, debugLogger: { isEnabled: false } });
  const nmFilter = nm.createFilter();
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  const modules = new Map<string, string[]>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/') || entry.dev || entry.devOptional) continue;
    const dir = join(root, key);
    if (!existsSync(dir)) continue; // an optional package of another platform
    const files: string[] = [];
    walkModule(dir, nmFilter, files, root);
    modules.set(key.slice('node_modules/'.length), files);
  }
  return { app: app.sort(), modules };
}

function walkModule(dir: string, filter: Filter, out: string[], root: string): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue; // nested modules are listed on their own
    const p = join(dir, name);
    const st = lstatSync(p);
    if (!filter(p, st)) continue;
    if (st.isDirectory()) walkModule(p, filter, out, root);
    else out.push(relative(root, p).split('\\').join('/'));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const platform = (process.argv[2] ?? 'linux') as PackagePlatform;
  const r = packagedFiles(platform);
  console.log(
    JSON.stringify({ platform, app: r.app, modules: Object.fromEntries([...r.modules].map(([k, v]) => [k, v.length])) }, null, 2),
  );
}
