import React from 'react';
import { ValueGroup } from '@adminjs/design-system';

const pad = (n) => String(n).padStart(2, '0');

/** A time to the second, in UTC, on one line: "2026-12-03 14:05:09 UTC". */
export const formatUtc = (value) => {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
};

const DateTime = (props) => {
  const { record, property, where } = props;
  const text = formatUtc(record.params[property.path]);
  if (where === 'show') {
    return (
      <ValueGroup label={property.label}>
        <div style={{ whiteSpace: 'nowrap' }} data-testid={`time-${property.path}`}>{text || '—'}</div>
      </ValueGroup>
    );
  }
  return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
};

export default DateTime;
