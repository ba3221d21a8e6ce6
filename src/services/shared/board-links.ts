// Links to the board for chat messages. They carry no secret (the board signs the member in with
// WeCom), and exist only when PUBLIC_BASE_URL says where the board is reachable from a phone.
import type { Config } from '../../config.js';

export function boardUrl(config: Pick<Config, 'publicBaseUrl'>): string | undefined {
  return config.publicBaseUrl ? `${config.publicBaseUrl}/board` : undefined;
}

export function unitBoardUrl(config: Pick<Config, 'publicBaseUrl'>, unitId: number): string | undefined {
  const base = boardUrl(config);
  return base ? `${base}/unit/${unitId}` : undefined;
}

/** The markdown line a message ends with: `[查看进度看板](https://…/board)`. */
export function boardLinkLine(url: string): string {
  return `[查看进度看板](${url})`;
}
