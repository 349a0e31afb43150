import React from 'react';
import { Box, H3, Link, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { BasePropertyComponent, ViewHelpers } from 'adminjs';

const h = new ViewHelpers();
const nowrap = { whiteSpace: 'nowrap' };

/** A record's page: its properties, then each related list the server sent, ids linking to their records. */
const ShowWithRelated = (props) => {
  const { resource, record } = props;
  const related = record.related || [];
  return (
    <Box>
      <Box variant="white" mb="xl">
        {resource.showProperties.map((property) => (
          <BasePropertyComponent key={property.propertyPath} where="show" property={property} resource={resource} record={record} />
        ))}
      </Box>
      {related.map((list) => (
        <Box variant="white" mb="xl" key={list.resourceId} data-testid={`related-${list.resourceId}`}>
          <H3>{list.title}</H3>
          {list.rows.length === 0 ? (
            <Text>None yet.</Text>
          ) : (
            <Box overflowX="auto">
              <Table>
                <TableHead>
                  <TableRow>
                    <TableCell style={nowrap}>Id</TableCell>
                    {list.columns.map((column) => <TableCell key={column.property} style={nowrap}>{column.label}</TableCell>)}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {list.rows.map((row) => (
                    <TableRow key={row.id}>
                      <TableCell style={nowrap}>
                        <Link href={h.recordActionUrl({ resourceId: list.resourceId, recordId: row.id, actionName: 'show' })}>{row.id}</Link>
                      </TableCell>
                      {list.columns.map((column) => <TableCell key={column.property} style={nowrap}>{row.values[column.property] ?? '—'}</TableCell>)}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
        </Box>
      ))}
    </Box>
  );
};

export default ShowWithRelated;
