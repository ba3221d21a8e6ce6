// Every word of 设置分管 / 取消分管 / 分管情况: the handler calls these.

export const ASSIGNMENTS_GROUP = '管理';
export const ADD_USAGE = '设置分管 <单位> <userid>';
export const REMOVE_USAGE = '取消分管 <单位> <userid>';
export const ADD_SUMMARY = '指定督办员分管某单位（逾期升级督办发给分管督办员）';
export const REMOVE_SUMMARY = '取消督办员对某单位的分管';
export const LIST_SUMMARY = '查看各督办员分管的单位';

export const usageLine = (usage: string): string => `用法：${usage}`;
export const notSupervisor = (userid: string): string => `“${userid}”不是在用的督办员或管理员账号。`;

export const alreadyAssigned = (person: string, unit: string): string => `${person}已分管${unit}。`;
export const assigned = (person: string, unit: string): string => `已设置：${person}分管${unit}。`;
export const notAssigned = (person: string, unit: string): string => `${person}并未分管${unit}。`;
export const unassigned = (person: string, unit: string): string => `已取消：${person}不再分管${unit}。`;

/** The audit log's detail of a change. */
export const addedDetail = (userid: string, unit: string): string => `${userid} 分管 ${unit}`;
export const removedDetail = (userid: string, unit: string): string => `${userid} 不再分管 ${unit}`;

export const NO_ASSIGNMENTS = '尚未设置分管；逾期升级督办发给全部督办员。';

export function assignmentList(byPerson: Iterable<[name: string, units: string[]]>): string {
  return ['分管情况：', ...[...byPerson].map(([name, list]) => `· ${name}：${list.join('、')}`)].join('\n');
}
