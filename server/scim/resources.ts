import type { PersonRecord } from '../admin/people';
import type { TeamRecord } from '../admin/teams';

/**
 * SCIM 2.0 resources (RFC 7643) as Switchboard maps them: a User is a person (userName = username,
 * displayName, externalId, active), a Group is a team (displayName = name, members = the people in it),
 * and the discovery documents (RFC 7644 §4) say exactly that much: filter (eq on the identifiers Entra ID
 * and Okta ask for), PATCH, no bulk, no sort, no ETags, bearer tokens.
 */

export const schemas = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  spc: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export type ScimUser = {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  displayName: string;
  name: { formatted: string };
  active: boolean;
  groups: { value: string; $ref: string }[];
  meta: { resourceType: 'User'; location: string };
};

export type ScimGroup = {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  members: { value: string; display?: string; $ref?: string }[];
  meta: { resourceType: 'Group'; location: string };
};

export function toScimUser(p: PersonRecord, base: string): ScimUser {
  return {
    schemas: [schemas.user],
    id: p.id,
    ...(p.externalId ? { externalId: p.externalId } : {}),
    userName: p.username,
    displayName: p.displayName,
    name: { formatted: p.displayName },
    active: p.active,
    groups: p.teamIds.map((t) => ({ value: t, $ref: `${base}/Groups/${t}` })),
    meta: { resourceType: 'User', location: `${base}/Users/${p.id}` },
  };
}

export function toScimGroup(t: TeamRecord, members: { id: string; displayName: string }[], base: string): ScimGroup {
  return {
    schemas: [schemas.group],
    id: t.id,
    ...(t.externalId ? { externalId: t.externalId } : {}),
    displayName: t.name,
    members: members.map((m) => ({ value: m.id, display: m.displayName, $ref: `${base}/Users/${m.id}` })),
    meta: { resourceType: 'Group', location: `${base}/Groups/${t.id}` },
  };
}

export const serviceProviderConfig = (base: string) => ({
  schemas: [schemas.spc],
  documentationUri: 'https://github.com/switchboard/switchboard#administration',
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: 200 },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [{ type: 'oauthbearertoken', name: 'Bearer token', description: 'One token per identity provider, made in the admin console.', primary: true }],
  meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
});

export const resourceTypes = (base: string) => [
  { schemas: [schemas.resourceType], id: 'User', name: 'User', endpoint: '/Users', schema: schemas.user, meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` } },
  { schemas: [schemas.resourceType], id: 'Group', name: 'Group', endpoint: '/Groups', schema: schemas.group, meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` } },
];

const attr = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

export const schemaDocs = (base: string) => [
  {
    schemas: [schemas.schema],
    id: schemas.user,
    name: 'User',
    description: 'A person who signs in to Switchboard',
    attributes: [
      attr('userName', 'string', { required: true, uniqueness: 'server' }),
      attr('displayName', 'string'),
      attr('name', 'complex', { subAttributes: [attr('formatted', 'string')] }),
      attr('active', 'boolean'),
      attr('externalId', 'string', { caseExact: true }),
      attr('groups', 'complex', { multiValued: true, mutability: 'readOnly', subAttributes: [attr('value', 'string', { mutability: 'readOnly' }), attr('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['Group'] })] }),
    ],
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schemas.user}` },
  },
  {
    schemas: [schemas.schema],
    id: schemas.group,
    name: 'Group',
    description: 'A Switchboard team',
    attributes: [
      attr('displayName', 'string', { required: true, uniqueness: 'server' }),
      attr('externalId', 'string', { caseExact: true }),
      attr('members', 'complex', { multiValued: true, subAttributes: [attr('value', 'string', { mutability: 'immutable' }), attr('display', 'string', { mutability: 'readOnly' }), attr('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User'] })] }),
    ],
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schemas.group}` },
  },
];
