import React, { useEffect } from 'react';
import { BasePropertyComponent } from 'adminjs';

/**
 * A boolean field whose saved default is true (a product's "Active"): on a new record the box is
 * ticked from the start, so the form shows what will be saved.
 */
const DefaultTrueEdit = (props) => {
  const { record, property, onChange } = props;
  const value = record && record.params ? record.params[property.path] : undefined;
  const unset = value === undefined || value === null || value === '';
  useEffect(() => {
    if (unset) onChange(property.path, true);
  }, [unset]);
  return <BasePropertyComponent {...props} property={{ ...property, components: {} }} />;
};

export default DefaultTrueEdit;
