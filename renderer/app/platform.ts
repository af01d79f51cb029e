/** Whether shortcuts use ⌘ (macOS) or Ctrl, from the browser's own report of the OS. */
export function usesCommandKey(): boolean {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  const platform = nav.userAgentData?.platform ?? navigator.platform;
  return /mac|iphone|ipad/i.test(platform);
}

/** "⌘1" on macOS, "Ctrl+1" elsewhere. */
export function shortcutLabel(digit: number): string {
  return usesCommandKey() ? `\u2318${digit}` : `Ctrl+${digit}`;
}
