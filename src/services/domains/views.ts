// The words the domain services write themselves: the audit log's details, and the open item of a
// pending request (the replies and cards are in handlers/domains/views.ts).

/** The owner of the city's zone, where a 区县's name would be. */
export const CITY_OWNER = '市级';

export const AUDIT_DETAILS = {
  taken: (name: string, holderRef: string) => `${name} 已分配（${holderRef}），不能重复申请`,
  pending: (name: string, otherRef: string) => `${name} 已有待审批的申请（${otherRef}）`,
  site: (name: string, siteCode: string) => `${name} 已由网站 ${siteCode} 使用`,
  notYourZone: (name: string, ownerName: string, zone: string) => `${name} 属于${ownerName}的域名区 ${zone}`,
  noApprovers: (zone: string) => `域名区 ${zone} 尚无审批人`,
  requested: (name: string) => `申请 ${name}`,
  notApprover: (zone: string, ownerName: string) => `不是域名区 ${zone}（${ownerName}）的审批人`,
  rejected: (name: string) => `拒绝 ${name}`,
  cannotAllocate: (refusal: string) => `${refusal}，不能分配`,
  allocated: (name: string) => `分配 ${name}`,
  revoked: (name: string) => `收回 ${name}`,
  zone: (zone: string, unitName: string) => `域名区 ${zone} 归 ${unitName}`,
  approver: (unitName: string) => `${unitName}域名审批人`,
} as const;

/** A pending request in 待办 lists. */
export const pendingRequestTitle = (name: string): string => `申请二级域名 ${name}`;
export const PENDING_STATE = '待审批';
