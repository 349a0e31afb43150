import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { ViewHelpers } from 'adminjs';

const h = new ViewHelpers();

/** An id column as a link to the record it names (its page checks the role), on one line. */
const RecordLink = (props) => {
  const { record, property, where } = props;
  const id = record.params[property.path];
  const target = property.custom && property.custom.linkTo;
  const link = id && target
    ? <a href={h.recordActionUrl({ resourceId: target, recordId: String(id), actionName: 'show' })} style={{ whiteSpace: 'nowrap' }} onClick={(e) => e.stopPropagation()}>{String(id)}</a>
    : <span style={{ whiteSpace: 'nowrap' }}>{id ? String(id) : '—'}</span>;
  if (where === 'show') {
    return (
      <ValueGroup label={property.label}>
        <div>{link}</div>
      </ValueGroup>
    );
  }
  return link;
};

export default RecordLink;
