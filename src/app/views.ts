// What the pipeline itself says to a member (everything else comes from the features' views).

/** A handler failed: its transaction is gone; the delivery is kept aside for an admin. */
export const BUSY_TEXT = '系统繁忙，请稍后再试。';

/** A dialog left open past its time. */
export const DIALOG_EXPIRED_TEXT = '上一次的操作已超时结束，请重新开始。';

/** A dialog whose stored state no longer fits its flow (the bot was updated meanwhile). */
export const DIALOG_OUTDATED_TEXT = '系统已更新，之前未完成的操作已失效，请重新开始。';
