// Finds the Chromium the browser test drives: CHROMIUM_PATH if set, else the first of the usual names on
// PATH, else Debian's install folder. puppeteer-core downloads no browser, so one must be installed.
import { accessSync, constants, statSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';

export interface Chromium {
  path: string;
  /** chromium-headless-shell is the old headless mode ('shell'); a full browser runs the new one (true). */
  headless: true | 'shell';
}

const NAMES = ['chromium-headless-shell', 'chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
const FOLDERS = ['/usr/lib/chromium'];

export const INSTALL_HINT =
  'Install one: on Debian or Ubuntu `sudo apt-get install chromium-headless-shell` (or `chromium`); elsewhere install Chromium or Google Chrome. ' +
  'Or point CHROMIUM_PATH at a Chrome or Chromium executable.';

export function findChromium(env: NodeJS.ProcessEnv = process.env): Chromium {
  const given = env['CHROMIUM_PATH'];
  if (given !== undefined && given !== '') {
    if (!isExecutable(given)) throw new Error(`CHROMIUM_PATH=${given} is not an executable file. ${INSTALL_HINT}`);
    return described(given);
  }
  const folders = [...(env['PATH'] ?? '').split(delimiter).filter((d) => d !== ''), ...FOLDERS];
  for (const name of NAMES) {
    for (const folder of folders) {
      const path = join(folder, name);
      if (isExecutable(path)) return described(path);
    }
  }
  throw new Error(`No Chromium found for the browser test (looked for ${NAMES.join(', ')} on PATH and in ${FOLDERS.join(', ')}). ${INSTALL_HINT}`);
}

function described(path: string): Chromium {
  return { path, headless: basename(path).includes('headless-shell') ? 'shell' : true };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
